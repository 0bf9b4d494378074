"""What grades 5-05 and never ships: the hidden checks and the mutants."""
