"""5-07 torch_fundamentals: PyTorch fundamentals: devices, an nn.Module MLP, nn.init, loaders,
train/eval loops, checkpoints."""
