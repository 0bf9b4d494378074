"""What grades 5-01 and never ships: the hidden checks and the mutants."""
