"""Two-moons toy dataset and a seeded train/validation split."""

import numpy as np
from sklearn.datasets import make_moons


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
