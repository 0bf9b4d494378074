"""What grades 5-03 and never ships: the hidden checks and the mutants."""
