"""Mistake: the pixels converted to float64 but not divided by 255: inputs in [0, 255] instead of
[0, 1]."""

import numpy as np

CAUGHT_BY = ("preprocess.batch_of_one", "preprocess.noncontiguous_images")


def preprocess(images):
    return np.asarray(images).reshape(images.shape[0], 784).astype(np.float64)
