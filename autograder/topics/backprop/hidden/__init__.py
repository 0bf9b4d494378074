"""What grades 5-06 and never ships: the hidden checks and the mutants."""
