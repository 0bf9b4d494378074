"""Datasets for the exercises, one module each (import from the module; importing the package
itself loads nothing, so NumPy-only code does not pay for torch):

- `data.moons`: the two-moons toy problem (`load_moons`, `train_val_split`).
- `data.fashion_mnist`: FashionMNIST through torchvision (`fashion_mnist_dataset`,
  `fashion_mnist_loaders`, `download`); `python -m data.fashion_mnist` downloads it into
  `data/FashionMNIST/raw/`.
- `data.progress`: `progress_bar`, a tqdm bar that is silent under CI and off a terminal, for
  the training loops.
- `data.fixtures`: a small synthetic FashionMNIST in the same IDX files
  (`write_fashion_mnist_fixture`, `fashion_mnist_arrays`, `read_idx`;
  `python -m data.fixtures DIR`), so the real loader runs offline in the tests.
"""
