"""Two-moons toy dataset and a seeded train/validation split."""

import numpy as np


def make_moons(n_samples: int = 100, *, noise: float | None = None,
               random_state: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The points and labels of ``sklearn.datasets.make_moons(n_samples, noise=noise,
    random_state=random_state)`` (shuffled), bit for bit, without importing scikit-learn (1.5 s
    of every `make check` of 5-01; tests/test_data.py compares the two).

    The first ``n_samples // 2`` points lie on the upper half circle ``(cos t, sin t)``, the rest
    on the lower one ``(1 - cos t, 0.5 - sin t)``, ``t`` evenly spaced in [0, pi]; a
    ``np.random.RandomState(random_state)`` shuffles the rows and then adds Gaussian noise of
    standard deviation ``noise``.
    """
    upper, lower = n_samples // 2, n_samples - n_samples // 2
    t_upper, t_lower = np.linspace(0, np.pi, upper), np.linspace(0, np.pi, lower)
    points = np.stack([np.concatenate([np.cos(t_upper), 1 - np.cos(t_lower)]),
                       np.concatenate([np.sin(t_upper), 1 - np.sin(t_lower) - 0.5])], axis=1)
    labels = np.concatenate([np.zeros(upper, dtype=np.intp), np.ones(lower, dtype=np.intp)])
    generator = np.random.RandomState(random_state)
    order = np.arange(n_samples)
    generator.shuffle(order)
    points, labels = points[order], labels[order]
    if noise is not None:
        points += generator.normal(scale=noise, size=points.shape)
    return points, labels


def load_moons(
    n_samples: int = 500, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Sample the two-moons dataset deterministically.

    Returns:
        X: float64 array of shape (n_samples, 2), the 2-D points.
        y: int64 array of shape (n_samples,), class labels in {0, 1}.
    """
    points, labels = make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    # Cast explicitly: sklearn's label dtype follows the platform's default int.
    return points.astype(np.float64), labels.astype(np.int64)


def train_val_split(
    X: np.ndarray,  # noqa: N803 - the conventional name for a data matrix
    y: np.ndarray,
    val_fraction: float = 0.2,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the rows with ``np.random.default_rng(seed)`` and split them in two.

    Args:
        X: array of shape (N, ...), any dtype.
        y: array of shape (N,), any dtype.
        val_fraction: share of rows for validation, in (0, 1); the validation
            set gets ``round(N * val_fraction)`` rows.

    Returns:
        (X_train, y_train, X_val, y_val): new arrays with the dtypes of X and y,
        shapes (N - n_val, ...), (N - n_val,), (n_val, ...), (n_val,); each
        input row lands in exactly one of the two sets.
    """
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    perm = np.random.default_rng(seed).permutation(len(X))
    n_val = round(len(X) * val_fraction)
    val_idx, train_idx = perm[:n_val], perm[n_val:]
    return X[train_idx], y[train_idx], X[val_idx], y[val_idx]
