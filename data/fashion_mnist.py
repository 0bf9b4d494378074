"""FashionMNIST through torchvision: dataset, data loaders and a download entry point.

Run ``python -m data.fashion_mnist [--root DIR]`` to download both splits.
"""

import argparse
import sys
from pathlib import Path

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# Downloads land next to this file, in data/FashionMNIST/raw/.
DEFAULT_ROOT = Path(__file__).parent

# Per-pixel mean and standard deviation of the FashionMNIST training images,
# scaled to [0, 1]; the values commonly used to normalise this dataset.
FASHION_MNIST_MEAN = 0.2860
FASHION_MNIST_STD = 0.3530

FIXTURE_HINT = (
    "the tests do not need it: they use a generated fixture instead, "
    "written with `python -m data.fixtures DIR`"
)


def fashion_mnist_dataset(
    root: str | Path = DEFAULT_ROOT,
    train: bool = True,
    download: bool = False,
    normalize: bool = True,
) -> datasets.FashionMNIST:
    """Return torchvision's FashionMNIST split found under ``root/FashionMNIST/raw/``.

    Each item is ``(image, label)``: image a float32 tensor of shape (1, 28, 28),
    equal to ``(pixel / 255 - FASHION_MNIST_MEAN) / FASHION_MNIST_STD`` when
    ``normalize`` and ``pixel / 255`` in [0, 1] otherwise; label an int in 0..9.
    The train split has 60000 items and the test split 10000 (for the real data).
    """
    steps = [transforms.ToTensor()]
    if normalize:
        steps.append(transforms.Normalize((FASHION_MNIST_MEAN,), (FASHION_MNIST_STD,)))
    return datasets.FashionMNIST(
        root, train=train, download=download, transform=transforms.Compose(steps)
    )


def fashion_mnist_loaders(
    root: str | Path = DEFAULT_ROOT,
    batch_size: int = 64,
    download: bool = False,
    seed: int = 0,
    num_workers: int = 0,
) -> tuple[DataLoader, DataLoader]:
    """Return ``(train_loader, test_loader)`` over the normalised splits.

    Batches are ``(images, labels)``: images float32 of shape (B, 1, 28, 28),
    labels int64 of shape (B,), with B = batch_size except possibly the last.
    The train loader reshuffles every epoch from a generator seeded with ``seed``,
    so a fresh pair of loaders with the same seed yields the same order; the
    test loader keeps file order.
    """
    train_loader = DataLoader(
        fashion_mnist_dataset(root, train=True, download=download),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
        num_workers=num_workers,
    )
    test_loader = DataLoader(
        fashion_mnist_dataset(root, train=False, download=download),
        batch_size=batch_size,
        shuffle=False,
        num_workers=num_workers,
    )
    return train_loader, test_loader


def download(root: str | Path = DEFAULT_ROOT) -> Path:
    """Download both FashionMNIST splits into ``root/FashionMNIST/raw/`` and return that folder.

    Files already present are not fetched again. Raises RuntimeError with a
    readable message (pointing at the offline fixture) if the download fails.
    """
    try:
        for train in (True, False):
            datasets.FashionMNIST(root, train=train, download=True)
    # torchvision wraps mirror failures in RuntimeError; other network and disk
    # failures surface as OSError (URLError is one).
    except (RuntimeError, OSError) as err:
        raise RuntimeError(
            f"FashionMNIST could not be downloaded into {Path(root) / 'FashionMNIST' / 'raw'}; "
            f"{FIXTURE_HINT}.\nOriginal error: {err}"
        ) from err
    return Path(root) / "FashionMNIST" / "raw"


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(description="Download FashionMNIST through torchvision.")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="dataset root folder")
    args = parser.parse_args(argv)
    try:
        raw = download(args.root)
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"FashionMNIST files are in {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
