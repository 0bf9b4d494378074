"""5-10 regularization: Dropout, batch and layer normalisation, early stopping, weight decay."""
