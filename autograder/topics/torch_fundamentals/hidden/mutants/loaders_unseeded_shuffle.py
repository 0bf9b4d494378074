"""Mistake: the training loader shuffles with the global random state (shuffle=True and no
generator), so the seed argument changes nothing and the order depends on whatever ran before."""

from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from data.fashion_mnist import FASHION_MNIST_MEAN, FASHION_MNIST_STD

CAUGHT_BY = ("fashion_mnist_loaders.uses_the_generator",
             "fashion_mnist_loaders.large_training_set")
CONTRACT = "generator"


def fashion_mnist_loaders(root, batch_size=64, seed=0):
    transform = transforms.Compose([transforms.ToTensor(),
                                    transforms.Normalize((FASHION_MNIST_MEAN,),
                                                         (FASHION_MNIST_STD,))])
    train_set = datasets.FashionMNIST(root, train=True, download=False, transform=transform)
    test_set = datasets.FashionMNIST(root, train=False, download=False, transform=transform)
    train = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    return train, DataLoader(test_set, batch_size=batch_size, shuffle=False)
