"""What grades 5-07 and never ships: the hidden checks and the mutants."""
