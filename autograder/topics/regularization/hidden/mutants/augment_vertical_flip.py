"""Mistake: the "horizontal" flip reverses the height dimension (upside down) instead of the
width."""

import torch

CAUGHT_BY = ("augment_images.always_flip_mirrors_width[float64]",
             "augment_images.per_image_statistics[float32]")


def augment_images(images, generator, flip_prob=0.5, padding=4):
    n, _, h, w = images.shape
    flip = torch.rand(n, generator=generator, device=images.device) < flip_prob
    out = torch.where(flip[:, None, None, None], images.flip(-2), images)
    padded = torch.nn.functional.pad(out, (padding,) * 4)
    result = torch.empty_like(images)
    for k in range(n):
        i, j = torch.randint(0, 2 * padding + 1, (2,), generator=generator).tolist()
        result[k] = padded[k, :, i:i + h, j:j + w]
    return result
