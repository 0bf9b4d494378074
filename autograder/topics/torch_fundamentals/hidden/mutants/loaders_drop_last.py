"""Mistake: both loaders use drop_last=True so that every batch has batch_size samples; the
docstring says the last batch holds the remainder and is not dropped, so an epoch must see every
image (and the test set's accuracy must count every test image)."""

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from data.fashion_mnist import FASHION_MNIST_MEAN, FASHION_MNIST_STD

CAUGHT_BY = ("fashion_mnist_loaders.defaults", "fashion_mnist_loaders.returns_typed_batches")
CONTRACT = "edges"


def fashion_mnist_loaders(root, batch_size=64, seed=0):
    transform = transforms.Compose([transforms.ToTensor(),
                                    transforms.Normalize((FASHION_MNIST_MEAN,),
                                                         (FASHION_MNIST_STD,))])
    train_set = datasets.FashionMNIST(root, train=True, download=False, transform=transform)
    test_set = datasets.FashionMNIST(root, train=False, download=False, transform=transform)
    train = DataLoader(train_set, batch_size=batch_size, shuffle=True, drop_last=True,
                       generator=torch.Generator().manual_seed(seed))
    return train, DataLoader(test_set, batch_size=batch_size, shuffle=False, drop_last=True)
