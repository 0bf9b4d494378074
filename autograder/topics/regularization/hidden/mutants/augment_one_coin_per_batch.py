"""Mistake: one flip decision and one crop offset are drawn for the whole batch, so every image
in a batch gets the same augmentation."""

import torch

CAUGHT_BY = ("augment_images.per_image_statistics[float32]",)


def augment_images(images, generator, flip_prob=0.5, padding=4):
    h, w = images.shape[-2:]
    flip = torch.rand(1, generator=generator).item() < flip_prob
    out = images.flip(-1) if flip else images
    padded = torch.nn.functional.pad(out, (padding,) * 4)
    i, j = torch.randint(0, 2 * padding + 1, (2,), generator=generator).tolist()
    return padded[..., i:i + h, j:j + w].clone()
