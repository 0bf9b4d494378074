"""data/digits.py: scikit-learn's real digits in FashionMNIST's format, the choice between them and
FashionMNIST on disk, and the 5-06 bar "a 3-layer NumPy network above 90 % on handwritten digits"
measured on the reference."""

import time

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits

import data.digits
from autograder import figures, impl
from autograder.course import TOPICS
from autograder.topics.backprop.figures import DIGITS_BAR, accuracy_per_epoch
from data.digits import (
    DIGITS_NAME,
    FASHION_NAME,
    digits_arrays,
    fashion_mnist_on_disk,
    real_images,
    upscale,
)
from data.fixtures import fashion_mnist_arrays, write_fashion_mnist_fixture

N_TRAIN, N_TEST = 1347, 450  # round(n_c / 4) of each class's n_c digits held out


@pytest.fixture(scope="module")
def sklearn_digits():
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images, digits.target


def test_the_digits_have_fashion_mnists_shapes_dtypes_and_range():
    train_images, train_labels, test_images, test_labels = digits_arrays()
    assert train_images.shape == (N_TRAIN, 28, 28) and test_images.shape == (N_TEST, 28, 28)
    assert train_labels.shape == (N_TRAIN,) and test_labels.shape == (N_TEST,)
    for array in (train_images, train_labels, test_images, test_labels):
        assert array.dtype == np.uint8
    # as fashion_mnist_arrays gives them, so 5-06's preprocess and 5-07's loaders take both
    assert [a.dtype for a in fashion_mnist_arrays(4, 4)] == [np.uint8] * 4
    for images in (train_images, test_images):
        assert images.min() == 0 and images.max() == 255
        # the 24x24 digit sits in a blank 2-pixel frame, as MNIST's digits do
        assert not images[:, :2].any() and not images[:, -2:].any()
        assert not images[:, :, :2].any() and not images[:, :, -2:].any()
    assert set(np.unique(train_labels)) == set(np.unique(test_labels)) == set(range(10))


def test_upscaling_is_exact_3x3_blocks_of_the_8x8_values(sklearn_digits):
    images, _ = sklearn_digits
    big = upscale(images[:50])
    assert big.shape == (50, 28, 28) and big.dtype == np.uint8
    expected = np.rint(images[:50] * 255 / 16)
    for row in range(3):
        for col in range(3):
            assert np.array_equal(big[:, 2 + row:26:3, 2 + col:26:3], expected)


def test_the_split_is_stratified_and_puts_every_digit_in_exactly_one_set(sklearn_digits):
    images, labels = sklearn_digits
    train_images, train_labels, test_images, test_labels = digits_arrays()
    per_class = np.bincount(labels)
    assert np.array_equal(np.bincount(test_labels), np.round(per_class / 4).astype(int))
    assert np.array_equal(np.bincount(train_labels) + np.bincount(test_labels), per_class)
    # The two sets together are the data set, each (image, label) as often as in it: no digit
    # is in both sets (identical twins would have to occur twice in the original too).
    def rows(images, labels):
        table = np.column_stack([images.reshape(len(images), -1), labels])
        return table[np.lexsort(table.T[::-1])]
    split = rows(np.concatenate([train_images, test_images]),
                 np.concatenate([train_labels, test_labels]))
    assert np.array_equal(split, rows(upscale(images), labels.astype(np.uint8)))
    # and both sets are shuffled, not sorted by class
    assert np.any(np.diff(train_labels.astype(int)) < 0)
    assert np.any(np.diff(test_labels.astype(int)) < 0)


def test_the_digits_are_a_pure_function_of_the_seed_in_new_arrays():
    first, again = digits_arrays(), digits_arrays()
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    first[0][:] = 7  # a student's function that writes into its input changes no later call
    assert not np.array_equal(digits_arrays()[0], first[0])
    other = digits_arrays(seed=1)
    assert not np.array_equal(other[1], again[1])
    half = sum(round(count / 2) for count in np.bincount(again[1]) + np.bincount(again[3]))
    assert len(digits_arrays(test_fraction=0.5)[3]) == half
    with pytest.raises(ValueError, match="test_fraction"):
        digits_arrays(test_fraction=1.0)


def test_the_fashion_mnist_folder_is_the_one_make_data_fills():
    from data.fashion_mnist import DEFAULT_ROOT

    assert data.digits.FASHION_ROOT.resolve() == DEFAULT_ROOT.resolve()


def test_real_images_are_fashion_mnist_on_disk_and_the_digits_otherwise(tmp_path):
    digits = real_images(root=tmp_path)
    assert digits.name == DIGITS_NAME
    assert all(np.array_equal(a, b) for a, b in zip(digits[:4], digits_arrays(), strict=True))
    write_fashion_mnist_fixture(tmp_path, 64, 32)
    assert fashion_mnist_on_disk(tmp_path)
    fashion = real_images(root=tmp_path)
    assert fashion.name == FASHION_NAME
    assert all(np.array_equal(a, b) and a.dtype == b.dtype
               for a, b in zip(fashion[:4], fashion_mnist_arrays(64, 32), strict=True))
    first = real_images(10, 5, root=tmp_path)
    assert [len(a) for a in first[:4]] == [10, 10, 5, 5]
    assert np.array_equal(first.train_images, fashion.train_images[:10])
    # an interrupted download (a file missing) is not FashionMNIST
    (tmp_path / "FashionMNIST" / "raw" / "t10k-labels-idx1-ubyte").unlink()
    assert real_images(root=tmp_path).name == DIGITS_NAME


@pytest.mark.parametrize(("topic", "name"), [("backprop", "training_loss.png"),
                                             ("backprop", "gradient_norms.png"),
                                             ("torch_fundamentals", "train_val_curves.png")])
def test_the_figures_train_on_fashion_mnist_once_make_data_fetched_it(topic, name, tmp_path,
                                                                       monkeypatch):
    module = impl.load(impl.SOLUTIONS, TOPICS[topic])
    (spec,) = figures.specs(topic, [name])

    def titles() -> str:
        # one thread, as `make figures` draws: threads only cost on these tiny problems
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            with threadpool_limits(limits=1):
                fig = spec.draw(module)
        finally:
            torch.set_num_threads(threads)
        return " ".join([fig.get_suptitle(), *(ax.get_title() for ax in fig.axes)])

    monkeypatch.setattr(data.digits, "FASHION_ROOT", tmp_path)  # empty: no `make data` here
    without = titles()
    write_fashion_mnist_fixture(tmp_path, 64, 32)
    with_fashion = titles()
    assert DIGITS_NAME in without and FASHION_NAME not in without
    assert FASHION_NAME in with_fashion and DIGITS_NAME not in with_fashion


@pytest.mark.slow
def test_the_reference_3_layer_network_is_above_90_percent_on_the_real_digits():
    """The digits_accuracy.png experiment, on the reference, with the figure's settings."""
    reference = impl.load(impl.SOLUTIONS, TOPICS["backprop"])
    start = time.perf_counter()
    with threadpool_limits(limits=1):  # as the figures run, so these are the figure's numbers
        train_accuracy, test_accuracy = accuracy_per_epoch(reference, digits_arrays())
    seconds = time.perf_counter() - start
    print(f"reference on the digits: test accuracy {test_accuracy[-1]:.4f}, train "
          f"{train_accuracy[-1]:.4f} after {len(test_accuracy)} epochs ({seconds:.1f} s)")
    assert test_accuracy[-1] >= DIGITS_BAR
    assert train_accuracy[-1] >= test_accuracy[-1]  # real data: the training set is easier
