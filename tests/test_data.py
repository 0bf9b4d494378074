"""Tests for the data package: moons, the FashionMNIST fixture, the checks' reference loaders."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torchvision.datasets.mnist
import torchvision.datasets.utils
from torchvision import datasets, transforms

from autograder.topics.torch_fundamentals.public import _torchvision_loaders
from data.fashion_mnist import DEFAULT_ROOT, FASHION_MNIST_MEAN, FASHION_MNIST_STD, download
from data.fashion_mnist import main as download_main
from data.fixtures import main as fixtures_main
from data.fixtures import read_idx, write_fashion_mnist_fixture
from data.moons import load_moons, train_val_split

N_TRAIN, N_TEST = 64, 32


def _fail(*args, **kwargs):
    raise OSError("no network")


@pytest.fixture
def no_network(monkeypatch):
    """Make every torchvision download path raise OSError("no network")."""
    monkeypatch.setattr(torchvision.datasets.utils, "download_and_extract_archive", _fail)
    monkeypatch.setattr(torchvision.datasets.utils, "download_url", _fail)
    # mnist.py binds the name at import time, so patch the copy MNIST.download calls too.
    monkeypatch.setattr(torchvision.datasets.mnist, "download_and_extract_archive", _fail)


@pytest.fixture
def fixture_root(tmp_path):
    write_fashion_mnist_fixture(tmp_path, n_train=N_TRAIN, n_test=N_TEST, seed=0)
    return tmp_path


def test_default_root_is_the_data_folder():
    assert Path(__file__).resolve().parent.parent / "data" == DEFAULT_ROOT.resolve()
    assert (FASHION_MNIST_MEAN, FASHION_MNIST_STD) == (0.2860, 0.3530)


def test_fixture_files_are_idx_with_torchvision_names(fixture_root):
    raw = fixture_root / "FashionMNIST" / "raw"
    assert sorted(p.name for p in raw.iterdir()) == [
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
    ]
    header = (raw / "train-images-idx3-ubyte").read_bytes()[:16]
    assert np.frombuffer(header, dtype=">i4").tolist() == [2051, N_TRAIN, 28, 28]
    header = (raw / "t10k-labels-idx1-ubyte").read_bytes()[:8]
    assert np.frombuffer(header, dtype=">i4").tolist() == [2049, N_TEST]
    images = read_idx(raw / "train-images-idx3-ubyte")
    labels = read_idx(raw / "train-labels-idx1-ubyte")
    assert images.shape == (N_TRAIN, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (N_TRAIN,) and labels.dtype == np.uint8
    # 64 = 6 * 10 + 4: every class appears 6 or 7 times.
    assert set(np.bincount(labels, minlength=10)) == {6, 7}


def test_fixture_is_deterministic_and_seed_dependent(tmp_path):
    a = write_fashion_mnist_fixture(tmp_path / "a", seed=3)
    b = write_fashion_mnist_fixture(tmp_path / "b", seed=3)
    c = write_fashion_mnist_fixture(tmp_path / "c", seed=4)
    name = "train-images-idx3-ubyte"
    assert (a / name).read_bytes() == (b / name).read_bytes()
    assert (a / name).read_bytes() != (c / name).read_bytes()


def test_fixture_classes_are_learnable(tmp_path):
    raw = write_fashion_mnist_fixture(tmp_path, n_train=200, n_test=100, seed=1)
    x_train = read_idx(raw / "train-images-idx3-ubyte").reshape(200, -1).astype(float)
    y_train = read_idx(raw / "train-labels-idx1-ubyte")
    x_test = read_idx(raw / "t10k-images-idx3-ubyte").reshape(100, -1).astype(float)
    y_test = read_idx(raw / "t10k-labels-idx1-ubyte")
    # Nearest class mean fit on train must transfer to test: the classes share patterns.
    means = np.stack([x_train[y_train == k].mean(axis=0) for k in range(10)])
    dists = ((x_test[:, None, :] - means[None]) ** 2).sum(axis=-1)
    assert (dists.argmin(axis=1) == y_test).mean() > 0.9


def test_torchvision_reads_fixture_without_network(fixture_root, no_network):
    raw = fixture_root / "FashionMNIST" / "raw"
    for train, n, prefix in ((True, N_TRAIN, "train"), (False, N_TEST, "t10k")):
        ds = datasets.FashionMNIST(fixture_root, train=train, download=True,
                                   transform=transforms.ToTensor())
        assert len(ds) == n
        images = read_idx(raw / f"{prefix}-images-idx3-ubyte")
        labels = read_idx(raw / f"{prefix}-labels-idx1-ubyte")
        assert [ds[i][1] for i in range(n)] == labels.tolist()
        image, _ = ds[5]
        assert image.shape == (1, 28, 28) and image.dtype == torch.float32
        np.testing.assert_allclose(image[0].numpy(), images[5] / 255.0, atol=1e-6)


def test_missing_data_without_download_raises(tmp_path):
    """What solutions/torch_fundamentals.py's docstring promises the student."""
    with pytest.raises(RuntimeError, match="Dataset not found"):
        datasets.FashionMNIST(tmp_path, download=False)


def test_data_module_does_not_do_task_5_07_5():
    import data.fashion_mnist as module
    assert not hasattr(module, "fashion_mnist_loaders")
    assert not hasattr(module, "fashion_mnist_dataset")


def _epoch(loader):
    return torch.cat([images for images, _ in loader])


def test_check_oracle_loaders_normalise_and_seed_the_order(fixture_root, no_network):
    """The public checks' reference loaders (task 5-07.5's answer lives only there)."""
    train_loader, test_loader = _torchvision_loaders(fixture_root, batch_size=16, seed=0)
    batches = list(train_loader)
    assert len(batches) == N_TRAIN // 16
    for images, labels in batches:
        assert images.shape == (16, 1, 28, 28) and images.dtype == torch.float32
        assert labels.shape == (16,) and labels.dtype == torch.int64
    # Test loader keeps file order.
    test_labels = torch.cat([labels for _, labels in test_loader])
    expected = read_idx(fixture_root / "FashionMNIST" / "raw" / "t10k-labels-idx1-ubyte")
    assert test_labels.tolist() == expected.tolist()
    pixels = read_idx(fixture_root / "FashionMNIST" / "raw" / "t10k-images-idx3-ubyte")
    first = next(iter(test_loader))[0][0, 0].numpy()
    np.testing.assert_allclose(first, (pixels[0] / 255.0 - FASHION_MNIST_MEAN)
                               / FASHION_MNIST_STD, atol=1e-5)
    # Train order: shuffled, reproducible for a seed, different across seeds.
    train_images = torch.cat([images for images, _ in batches])
    in_file_order = _epoch(torch.utils.data.DataLoader(train_loader.dataset, batch_size=16))
    assert not torch.equal(train_images, in_file_order)
    again, _ = _torchvision_loaders(fixture_root, batch_size=16, seed=0)
    other, _ = _torchvision_loaders(fixture_root, batch_size=16, seed=1)
    assert torch.equal(_epoch(again), train_images)
    assert not torch.equal(_epoch(other), train_images)


def test_fixture_refuses_to_overwrite_different_files(fixture_root):
    raw = fixture_root / "FashionMNIST" / "raw"
    before = (raw / "train-images-idx3-ubyte").read_bytes()
    # Same arguments rewrite identical bytes, so that is allowed.
    write_fashion_mnist_fixture(fixture_root, n_train=N_TRAIN, n_test=N_TEST, seed=0)
    with pytest.raises(FileExistsError, match="refusing to overwrite"):
        write_fashion_mnist_fixture(fixture_root, n_train=10, n_test=N_TEST)
    assert (raw / "train-images-idx3-ubyte").read_bytes() == before
    assert fixtures_main([str(fixture_root), "--n-train", "10"]) == 1
    assert fixtures_main([str(fixture_root), "--n-train", "10", "--force"]) == 0
    assert read_idx(raw / "train-images-idx3-ubyte").shape == (10, 28, 28)


def test_download_failure_points_to_fixture(tmp_path, no_network, capsys):
    with pytest.raises(RuntimeError) as info:
        download(tmp_path)
    message = str(info.value)
    assert "FashionMNIST could not be downloaded" in message
    assert "python -m data.fixtures DIR" in message
    assert "no network" in message
    assert download_main(["--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "python -m data.fixtures DIR" in err and "Traceback" not in err


def test_download_is_a_no_op_when_files_exist(fixture_root, no_network):
    assert download(fixture_root) == fixture_root / "FashionMNIST" / "raw"


def test_load_moons_shapes_dtypes_and_determinism():
    x, y = load_moons(n_samples=120, noise=0.1, seed=7)
    assert x.shape == (120, 2) and x.dtype == np.float64
    assert y.shape == (120,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    x2, y2 = load_moons(n_samples=120, noise=0.1, seed=7)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(x, load_moons(n_samples=120, noise=0.1, seed=8)[0])


def test_train_val_split_sizes_and_disjointness():
    x = np.arange(100, dtype=np.float64).reshape(50, 2)
    y = np.arange(50)
    x_train, y_train, x_val, y_val = train_val_split(x, y, val_fraction=0.2, seed=0)
    assert x_train.shape == (40, 2) and y_train.shape == (40,)
    assert x_val.shape == (10, 2) and y_val.shape == (10,)
    # Rows stay paired with their labels, and every index lands in exactly one split.
    np.testing.assert_array_equal(x_train[:, 0], 2 * y_train)
    np.testing.assert_array_equal(x_val[:, 0], 2 * y_val)
    assert set(y_train).isdisjoint(y_val)
    assert sorted(np.concatenate([y_train, y_val]).tolist()) == list(range(50))
    again = train_val_split(x, y, val_fraction=0.2, seed=0)
    np.testing.assert_array_equal(again[3], y_val)
    assert not np.array_equal(train_val_split(x, y, val_fraction=0.2, seed=1)[3], y_val)


def test_train_val_split_rejects_bad_input():
    x, y = load_moons(n_samples=20)
    with pytest.raises(ValueError):
        train_val_split(x, y[:-1])
    with pytest.raises(ValueError):
        train_val_split(x, y, val_fraction=1.0)


def test_fixture_cli_prints_path_without_warnings(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(DEFAULT_ROOT.parent)}
    result = subprocess.run(
        [sys.executable, "-m", "data.fixtures", str(tmp_path), "--n-train", "20"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    raw = tmp_path / "FashionMNIST" / "raw"
    assert result.stdout.strip() == str(raw)
    assert result.stderr == ""
    assert read_idx(raw / "train-labels-idx1-ubyte").shape == (20,)


@pytest.mark.parametrize(("n_samples", "noise", "seed"),
                         [(500, 0.2, 0), (7, None, 3), (101, 0.05, 42), (1, 0.1, 1), (2, 0.3, 9)])
def test_our_make_moons_is_scikit_learns_bit_for_bit(n_samples, noise, seed):
    """data.moons.make_moons spares every `make check` of 5-01 importing scikit-learn; it must
    give exactly sklearn's points, labels and dtypes (the students' notebooks use sklearn's)."""
    from sklearn.datasets import make_moons as sklearn_moons

    from data.moons import make_moons

    ours, theirs = make_moons(n_samples, noise=noise, random_state=seed), \
        sklearn_moons(n_samples=n_samples, noise=noise, random_state=seed)
    for mine, reference in zip(ours, theirs, strict=True):
        assert mine.dtype == reference.dtype and np.array_equal(mine, reference)
