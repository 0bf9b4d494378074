"""What grades 5-08 and never ships: the hidden checks and the mutants."""
