"""The topics of the pack: module file names are an interface (submissions are matched by them)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from autograder.runtime.check import Check

ROOT = Path(__file__).resolve().parent.parent
CHECKS_DIR = ROOT / "autograder" / "checks"
MUTANTS_DIR = ROOT / "autograder" / "mutants"


@dataclass(frozen=True)
class Topic:
    number: str  # "5-10"
    name: str  # the module's stem: "regularization"
    title: str

    @property
    def module_file(self) -> str:
        return f"{self.name}.py"

    def checks(self, visibility: str) -> list[Check]:
        """The topic's checks at one visibility ("public" or "hidden"); hidden ones may be absent
        (a student release ships public checks only)."""
        try:
            module = importlib.import_module(f"autograder.checks.{visibility}.{self.name}")
        except ModuleNotFoundError as error:
            if visibility == "hidden" and error.name and error.name.startswith("autograder.checks"):
                return []
            raise
        return list(module.CHECKS.checks)

    def all_checks(self) -> list[Check]:
        return self.checks("public") + self.checks("hidden")

    def mutants(self) -> list[Path]:
        return sorted((MUTANTS_DIR / self.name).glob("[!_]*.py"))


TOPICS: dict[str, Topic] = {
    topic.name: topic
    for topic in [
        Topic("5-01", "two_layer_net",
              "A two-layer NumPy network on make_moons: init, forward, loss, backward, SGD, train"),
        Topic("5-02", "perceptron_mlp",
              "Perceptron rule, XOR, Xavier/He initialisation, depth and scale, MLPs in PyTorch"),
        Topic("5-03", "activations",
              "Activations and their gradients: sigmoid, tanh, ReLU family, GELU, SiLU, softmax"),
        Topic("5-04", "losses",
              "Losses from logits, stably: MSE, MAE, Huber, BCE, cross-entropy, hinge, focal, KL"),
        Topic("5-05", "autograd_engine",
              "A scalar autograd engine: Value, iterative backward, the graph, a tiny MLP"),
        Topic("5-06", "backprop",
              "Backprop by hand: layer classes, a 3-layer MLP, gradient checks, clipping"),
        Topic("5-07", "torch_fundamentals",
              "PyTorch fundamentals: devices, an nn.Module MLP, nn.init, loaders, train/eval "
              "loops, checkpoints"),
        Topic("5-08", "sgd_optimizers",
              "SGD, momentum and Nesterov: update rules, an Optimizer, mini-batches, paths"),
        Topic("5-09", "adaptive_optimizers",
              "RMSProp, Adam, AdamW (functions and an Optimizer), LR schedules, the LR finder"),
        Topic("5-10", "regularization",
              "Dropout, batch and layer normalisation, early stopping, weight decay"),
    ]
}


def select(names: list[str] | None) -> list[Topic]:
    """The named topics (all when none), with a clear error for an unknown name."""
    if not names:
        return list(TOPICS.values())
    unknown = [name for name in names if name not in TOPICS]
    if unknown:
        raise SystemExit(f"unknown topic {', '.join(unknown)}; topics are: {', '.join(TOPICS)}")
    return [TOPICS[name] for name in names]
