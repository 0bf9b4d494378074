"""What grades 5-10 and never ships: the hidden checks and the mutants."""
