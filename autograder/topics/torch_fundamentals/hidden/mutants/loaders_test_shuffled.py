"""Mistake: the test loader is built like the training loader, shuffled: evaluation still
averages the same samples, but batches come in a different order every pass (and the order is
not reproducible)."""

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from data.fashion_mnist import FASHION_MNIST_MEAN, FASHION_MNIST_STD

CAUGHT_BY = ("fashion_mnist_loaders.loader_keeps_the_test_split_in_file_order",)


def fashion_mnist_loaders(root, batch_size=64, seed=0):
    transform = transforms.Compose([transforms.ToTensor(),
                                    transforms.Normalize((FASHION_MNIST_MEAN,),
                                                         (FASHION_MNIST_STD,))])
    loaders = []
    for train in (True, False):
        dataset = datasets.FashionMNIST(root, train=train, download=False, transform=transform)
        loaders.append(DataLoader(dataset, batch_size=batch_size, shuffle=True,
                                  generator=torch.Generator().manual_seed(seed)))
    return loaders[0], loaders[1]
