"""Mistake: the images are only converted with ToTensor (pixels in [0, 1]); the Normalize step
with FashionMNIST's mean and std is missing."""

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

CAUGHT_BY = ("fashion_mnist_loaders.statistics_by_formula",
             "fashion_mnist_loaders.loader_keeps_the_test_split_in_file_order",
             "fashion_mnist_loaders.batch_of_one")


def fashion_mnist_loaders(root, batch_size=64, seed=0):
    transform = transforms.ToTensor()
    train_set = datasets.FashionMNIST(root, train=True, download=False, transform=transform)
    test_set = datasets.FashionMNIST(root, train=False, download=False, transform=transform)
    train = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                       generator=torch.Generator().manual_seed(seed))
    return train, DataLoader(test_set, batch_size=batch_size, shuffle=False)
