"""FashionMNIST: the normalisation constants and a download entry point.

Run ``python -m data.fashion_mnist [--root DIR]`` to download both splits. Building the
normalised dataset and its loaders is task 5-07.5 (``fashion_mnist_loaders``), so this module
gives the constants and the files, not the loaders.
"""

import argparse
import sys
from pathlib import Path

from torchvision import datasets

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
