"""Mistake: the seed is applied with torch.manual_seed(seed) and the training loader shuffles
with the global random state (no generator): the call re-seeds every other user of torch's global
generator (dropout, default initialisation, the caller's own draws), and the orders depend on
whatever draws from the global state between the call and the epochs."""

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from data.fashion_mnist import FASHION_MNIST_MEAN, FASHION_MNIST_STD

CAUGHT_BY = ("fashion_mnist_loaders.returns_typed_batches",)
CONTRACT = "generator"


def fashion_mnist_loaders(root, batch_size=64, seed=0):
    transform = transforms.Compose([transforms.ToTensor(),
                                    transforms.Normalize((FASHION_MNIST_MEAN,),
                                                         (FASHION_MNIST_STD,))])
    train_set = datasets.FashionMNIST(root, train=True, download=False, transform=transform)
    test_set = datasets.FashionMNIST(root, train=False, download=False, transform=transform)
    torch.manual_seed(seed)
    train = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    return train, DataLoader(test_set, batch_size=batch_size, shuffle=False)
