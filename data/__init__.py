"""Datasets for the exercises, one module each (import from the module; importing the package
itself loads nothing, so NumPy-only code does not pay for torch):

- `data.moons`: the two-moons toy problem (`load_moons`, `train_val_split`).
- `data.fashion_mnist`: FashionMNIST's normalisation constants (`FASHION_MNIST_MEAN`,
  `FASHION_MNIST_STD`) and `download`; `python -m data.fashion_mnist` downloads it into
  `data/FashionMNIST/raw/` (the loaders are task 5-07.5's).
- `data.progress`: `progress_bar`, a tqdm bar that is silent under CI and off a terminal, for
  the training loops.
- `data.fixtures`: a small synthetic FashionMNIST in the same IDX files
  (`write_fashion_mnist_fixture`, `fashion_mnist_arrays`, `read_idx`;
  `python -m data.fixtures DIR`), so the real loader runs offline in the tests.
"""
