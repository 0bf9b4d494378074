"""Real handwritten digits in FashionMNIST's format, and the real data set the figures train on.

FashionMNIST is real but has to be downloaded (`make data`); scikit-learn ships 1,797 real 8x8
handwritten digits (``sklearn.datasets.load_digits``, the test half of UCI's optdigits) that are
always there. `digits_arrays` gives them as the arrays topics 5-06 and 5-07 read: uint8 images
of shape (N, 28, 28) in 0-255 and uint8 labels, as ``data.fixtures.fashion_mnist_arrays`` and
FashionMNIST's IDX files do. `real_images` gives FashionMNIST when its files are on disk and the
digits otherwise, with the data set's name for a figure's title.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

import numpy as np

# Where `make data` (data.fashion_mnist.DEFAULT_ROOT) puts FashionMNIST, written out here rather
# than imported: data.fashion_mnist imports torchvision, which the NumPy topic 5-06 does without.
FASHION_ROOT = Path(__file__).parent
FASHION_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")

SIDE = 28
BLOCK = 3  # each 8x8 pixel becomes a 3x3 block: 24x24 ...
PAD = (SIDE - 8 * BLOCK) // 2  # ... centred with 2 blank pixels each side, like MNIST's margin
DIGITS_MAX = 16  # load_digits' pixels are ink counts 0-16 (4x4 blocks of a 32x32 bitmap)
TEST_FRACTION = 0.25
DIGITS_NAME = "scikit-learn digits (real, 8x8 upscaled to 28x28)"
FASHION_NAME = "FashionMNIST"


class RealImages(NamedTuple):
    """A real data set in FashionMNIST's format: images uint8 (n, 28, 28) with values 0-255,
    labels uint8 (n,) in {0, ..., 9}, and `name`, the data set's name for a figure's title."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    name: str


@functools.cache
def _load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits, read once per process: float64 (1797, 8, 8) in 0-16 and int64
    (1797,). Cached arrays: callers must copy before handing them out."""
    from sklearn.datasets import load_digits  # here: scikit-learn takes a second to import

    digits = load_digits()
    return digits.images, digits.target


def upscale(images: np.ndarray) -> np.ndarray:
    """8x8 digits in 0-16 as FashionMNIST-sized images.

    Each value v becomes round(v * 255 / 16) and each pixel a 3x3 block (nearest neighbour: no
    interpolation, so the result is exact and the same on every machine), and the 24x24 result
    is padded with 2 zero pixels on every side.

    Args:
        images: (N, 8, 8) numbers in [0, 16], any dtype.

    Returns:
        (N, 28, 28) uint8 in [0, 255]; a new array.
    """
    scaled = np.rint(np.asarray(images, dtype=np.float64) * (255.0 / DIGITS_MAX)).astype(np.uint8)
    blocks = scaled.repeat(BLOCK, axis=1).repeat(BLOCK, axis=2)
    return np.pad(blocks, ((0, 0), (PAD, PAD), (PAD, PAD)))


def _stratified_split(labels: np.ndarray, test_fraction: float,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test), int64, each shuffled: round(n_c * test_fraction) of every class's
    n_c samples go to the test set, so both sets keep the classes' proportions."""
    train, test = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_test = round(len(members) * test_fraction)
        test.append(members[:n_test])
        train.append(members[n_test:])
    # Shuffled again: otherwise the classes come in order 0, 1, ..., 9.
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def digits_arrays(test_fraction: float = TEST_FRACTION,
                  seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 real handwritten digits as FashionMNIST-format arrays.

    ``(train_images, train_labels, test_images, test_labels)``: images uint8 of shape
    (n, 28, 28) with values 0-255 (`upscale`), labels uint8 of shape (n,) in {0, ..., 9}, as
    ``data.fixtures.fashion_mnist_arrays`` gives. The split is stratified: every class puts
    round(count * test_fraction) of its samples (chosen by ``np.random.default_rng(seed)``) in
    the test set, so the defaults give 1,347 train and 450 test images, each sample in exactly
    one of them, both in shuffled order. A pure function of the arguments; new arrays each call.

    Args:
        test_fraction: the share of each class in the test set, in (0, 1).
        seed: the split's seed.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    images, labels = _load_digits()
    train, test = _stratified_split(labels, test_fraction, np.random.default_rng(seed))
    return (upscale(images[train]), labels[train].astype(np.uint8),
            upscale(images[test]), labels[test].astype(np.uint8))


def fashion_mnist_on_disk(root: str | Path | None = None) -> bool:
    """Whether all four uncompressed FashionMNIST files are in root/FashionMNIST/raw/ (root
    None: FASHION_ROOT, data/, where `make data` puts them)."""
    raw = Path(FASHION_ROOT if root is None else root) / "FashionMNIST" / "raw"
    return all((raw / name).is_file() for name in FASHION_FILES)


def real_images(max_train: int | None = None, max_test: int | None = None,
                root: str | Path | None = None) -> RealImages:
    """The real data set the figures train on: FashionMNIST when its files are on disk, else
    scikit-learn's digits.

    FashionMNIST (root/FashionMNIST/raw/, root None meaning FASHION_ROOT, looked up at each call):
    60,000 train and 10,000 test images in the files' order, name FASHION_NAME. Digits:
    `digits_arrays()` (1,347 train, 450 test), name DIGITS_NAME. Either way images are uint8
    (n, 28, 28) in 0-255 and labels uint8 (n,) in {0, ..., 9}, new arrays each call (a student's
    function that writes into its input must not change the next figure).

    Args:
        max_train, max_test: keep only the first max_train train and max_test test images (None:
            all), so that a figure trains in seconds on FashionMNIST too.
    """
    if fashion_mnist_on_disk(root):
        from data.fixtures import read_idx

        raw = Path(FASHION_ROOT if root is None else root) / "FashionMNIST" / "raw"
        arrays, name = [read_idx(raw / file) for file in FASHION_FILES], FASHION_NAME
    else:
        arrays, name = list(digits_arrays()), DIGITS_NAME
    train, test = slice(max_train), slice(max_test)
    # Copies of the slices: a view would keep all 60,000 FashionMNIST images alive.
    return RealImages(arrays[0][train].copy(), arrays[1][train].copy(),
                      arrays[2][test].copy(), arrays[3][test].copy(), name)
