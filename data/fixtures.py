"""A tiny synthetic FashionMNIST stand-in, written in the IDX files torchvision reads.

Run ``python -m data.fixtures ROOT [--n-train N] [--n-test N] [--seed S] [--force]``
to write ``ROOT/FashionMNIST/raw/``; then ``torchvision.datasets.FashionMNIST(ROOT)`` loads it
offline.
"""

import argparse
import struct
import sys
from pathlib import Path

import numpy as np

SIDE = 28
N_CLASSES = 10
IMAGE_MAGIC = 2051  # 0x0803: unsigned bytes, 3 dimensions
LABEL_MAGIC = 2049  # 0x0801: unsigned bytes, 1 dimension

# IDX type code -> big-endian numpy dtype (the format is big-endian throughout).
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _idx_bytes(magic: int, array: np.ndarray) -> bytes:
    """Encode a uint8 array as IDX: big-endian int32 magic, one int32 per dim, raw data."""
    header = struct.pack(f">{1 + array.ndim}i", magic, *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file into an array with the file's shape and (native) dtype.

    For FashionMNIST: images give uint8 of shape (N, 28, 28), labels uint8 of shape (N,).
    """
    data = Path(path).read_bytes()
    zero, type_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or type_code not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an IDX file (header {data[:4].hex()})")
    shape = struct.unpack(f">{ndim}i", data[4 : 4 + 4 * ndim])
    dtype = np.dtype(_IDX_DTYPES[type_code])
    array = np.frombuffer(data, dtype=dtype, offset=4 + 4 * ndim)
    return array.reshape(shape).astype(dtype.newbyteorder("="))


def _templates() -> np.ndarray:
    """One fixed pattern per class, float64 of shape (10, 28, 28) with values in {0, 1}.

    Classes 0-4 are horizontal bands, 5-9 vertical bands, at five positions. They do
    not depend on the seed, so the train and test splits share them.
    """
    templates = np.zeros((N_CLASSES, SIDE, SIDE))
    for k in range(N_CLASSES):
        start = 2 + 5 * (k % 5)
        if k < 5:
            templates[k, start : start + 4, :] = 1.0
        else:
            templates[k, :, start : start + 4] = 1.0
    return templates


def _make_split(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return uint8 images (n, 28, 28) and uint8 labels (n,) covering classes evenly."""
    labels = rng.permutation(np.arange(n) % N_CLASSES).astype(np.uint8)
    pixels = 180.0 * _templates()[labels] + rng.normal(0.0, 30.0, size=(n, SIDE, SIDE))
    return np.clip(np.rint(pixels), 0, 255).astype(np.uint8), labels


def fashion_mnist_arrays(
    n_train: int = 64, n_test: int = 32, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The fixture's contents as arrays, without writing files:
    ``(train_images, train_labels, test_images, test_labels)``, images uint8 of shape
    (n, 28, 28) and labels uint8 of shape (n,), exactly what ``write_fashion_mnist_fixture``
    writes for the same arguments (the grading sandbox uses this; it has no files to read)."""
    rng = np.random.default_rng(seed)
    return (*_make_split(rng, n_train), *_make_split(rng, n_test))


def write_fashion_mnist_fixture(
    root: str | Path, n_train: int = 64, n_test: int = 32, seed: int = 0, force: bool = False
) -> Path:
    """Write a synthetic FashionMNIST to ``root/FashionMNIST/raw/`` and return that folder.

    Files (uncompressed IDX, as torchvision expects): ``train-images-idx3-ubyte``
    (uint8, (n_train, 28, 28)), ``train-labels-idx1-ubyte`` (uint8, (n_train,)) and the
    ``t10k-*`` pair with n_test items. Image = class band * 180 + N(0, 30) noise,
    clipped; labels cycle through 0..9 in shuffled order. Output is a pure function of
    the arguments. Raises FileExistsError, writing nothing, if any of these files already
    exists with other contents (e.g. a real download), unless ``force``.
    """
    train_images, train_labels, test_images, test_labels = fashion_mnist_arrays(
        n_train, n_test, seed
    )
    contents = {
        "train-images-idx3-ubyte": _idx_bytes(IMAGE_MAGIC, train_images),
        "train-labels-idx1-ubyte": _idx_bytes(LABEL_MAGIC, train_labels),
        "t10k-images-idx3-ubyte": _idx_bytes(IMAGE_MAGIC, test_images),
        "t10k-labels-idx1-ubyte": _idx_bytes(LABEL_MAGIC, test_labels),
    }
    raw = Path(root) / "FashionMNIST" / "raw"
    # Compare whole contents, not just sizes: a 60000/10000 fixture has the real sizes.
    clashes = [
        name
        for name, blob in contents.items()
        if (raw / name).exists() and (raw / name).read_bytes() != blob
    ]
    if clashes and not force:
        raise FileExistsError(
            f"refusing to overwrite {', '.join(clashes)} in {raw}: they differ from this "
            "fixture and may be the real dataset; use another root or pass force=True (--force)"
        )
    raw.mkdir(parents=True, exist_ok=True)
    for name, blob in contents.items():
        (raw / name).write_bytes(blob)
    return raw


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(description="Write a tiny synthetic FashionMNIST.")
    parser.add_argument("root", type=Path, help="dataset root; files go to ROOT/FashionMNIST/raw")
    parser.add_argument("--n-train", type=int, default=64)
    parser.add_argument("--n-test", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="overwrite differing files")
    args = parser.parse_args(argv)
    try:
        raw = write_fashion_mnist_fixture(
            args.root, args.n_train, args.n_test, args.seed, force=args.force
        )
    except FileExistsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
