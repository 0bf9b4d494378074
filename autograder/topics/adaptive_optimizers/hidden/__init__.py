"""What grades 5-09 and never ships: the hidden checks and the mutants."""
