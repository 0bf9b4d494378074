"""What grades 5-02 and never ships: the hidden checks and the mutants."""
