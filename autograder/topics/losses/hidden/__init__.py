"""What grades 5-04 and never ships: the hidden checks and the mutants."""
