"""The topics of the pack: module file names are an interface (submissions are matched by them).
Everything that grades a topic lives in one folder, `autograder/topics/<module>/`: the public
checks and the probes they share (`public.py`, shipped to students and into the sandbox), the
figures (`figures.py`), and under `hidden/` what never ships: the hidden checks and the topic's
edge-case list (`hidden/checks.py`), the mutants and their survivors (`hidden/mutants/`).
Each topic also says what its module may use (`policy`: the source rules' allowlist, see
`autograder/sandbox/rules.py`) and which library operators its tasks forbid (`forbidden_ops`: the
dispatcher guard, `autograder/runtime/guard.py`, makes them raise inside the student's code)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from autograder.runtime.check import Check
from autograder.sandbox.rules import COMMON, NUMPY, OPTIMIZERS, TORCH, Policy, summary

ROOT = Path(__file__).resolve().parent.parent
TOPICS_DIR = ROOT / "autograder" / "topics"


# aten operators (all overloads; composite ones too, since dropout on the CPU never reaches
# native_dropout) that are the library's own version of a topic's task.
DROPOUT = ("dropout", "dropout_", "native_dropout", "feature_dropout", "feature_dropout_",
           "alpha_dropout", "alpha_dropout_", "feature_alpha_dropout", "feature_alpha_dropout_",
           "_fused_dropout")
NORMALISATION = ("batch_norm", "native_batch_norm", "_native_batch_norm_legit",
                 "_native_batch_norm_legit_no_training", "_native_batch_norm_legit_functional",
                 "_batch_norm_impl_index", "_batch_norm_with_update",
                 "_batch_norm_with_update_functional", "_batch_norm_no_update",
                 "cudnn_batch_norm", "miopen_batch_norm", "batch_norm_stats", "batch_norm_elemt",
                 "batch_norm_gather_stats", "batch_norm_gather_stats_with_counts",
                 "instance_norm", "group_norm", "native_group_norm", "layer_norm",
                 "native_layer_norm", "rms_norm", "_fused_rms_norm")
FUSED_OPTIMIZERS = ("_fused_adam_", "_fused_adamw_", "_fused_sgd_", "_fused_adagrad_",
                    "_fused_adam", "_fused_adamw", "_fused_sgd", "_fused_adagrad")
LOSSES = ("mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "binary_cross_entropy",
          "binary_cross_entropy_with_logits", "cross_entropy_loss", "nll_loss", "nll_loss_nd",
          "nll_loss2d", "nll_loss_forward", "nll_loss2d_forward", "multi_margin_loss",
          "multilabel_margin_loss", "multilabel_margin_loss_forward", "soft_margin_loss",
          "hinge_embedding_loss", "margin_ranking_loss", "poisson_nll_loss", "kl_div",
          "logsumexp", "special_logsumexp", "log_softmax", "_log_softmax", "special_log_softmax",
          "logaddexp", "logaddexp2", "log_sigmoid", "log_sigmoid_forward", "softplus")


def _policy(modules: frozenset[str], forbidden: frozenset[str] = frozenset(),
            members: dict[str, frozenset[str]] | None = None) -> Policy:
    modules = COMMON | modules
    return Policy(modules, members or {}, forbidden, summary(modules | set(members or {})))


@dataclass(frozen=True)
class Topic:
    number: str  # "5-10"
    name: str  # the module's stem: "regularization"
    title: str
    policy: Policy = field(default_factory=lambda: _policy(NUMPY | TORCH), compare=False)
    forbidden_ops: tuple[str, ...] = ()

    @property
    def module_file(self) -> str:
        return f"{self.name}.py"

    @property
    def folder(self) -> Path:
        """`autograder/topics/<module>/`: everything that grades this topic."""
        return TOPICS_DIR / self.name

    def check_module(self, visibility: str) -> str:
        """The import name of the topic's checks at one visibility ("public" or "hidden")."""
        return f"autograder.topics.{self.name}." + ("hidden.checks" if visibility == "hidden"
                                                    else "public")

    def check_file(self, visibility: str) -> Path:
        """The file of the topic's checks at one visibility."""
        return self.folder / ("hidden/checks.py" if visibility == "hidden" else "public.py")

    def checks(self, visibility: str) -> list[Check]:
        """The topic's checks at one visibility ("public" or "hidden"); hidden ones may be absent
        (a student release ships public checks only)."""
        name = self.check_module(visibility)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if visibility == "hidden" and error.name in (name, name.rpartition(".")[0]):
                return []
            raise
        return list(module.CHECKS.checks)

    def all_checks(self) -> list[Check]:
        return self.checks("public") + self.checks("hidden")

    def mutants(self) -> list[Path]:
        return sorted(self.mutants_dir.glob("[!_]*.py"))

    @property
    def mutants_dir(self) -> Path:
        """Known-wrong implementations of the topic, each a patch over the reference."""
        return self.folder / "hidden" / "mutants"


TOPICS: dict[str, Topic] = {
    topic.name: topic
    for topic in [
        Topic("5-01", "two_layer_net",
              "A two-layer NumPy network on make_moons: init, forward, loss, backward, SGD, train",
              _policy(NUMPY | {"data.moons"})),
        Topic("5-02", "perceptron_mlp",
              "Perceptron rule, XOR, Xavier/He initialisation, depth and scale, MLPs in PyTorch",
              _policy(NUMPY | {"torch", "torch.nn"}, frozenset({
                  "init", "calculate_gain", "xavier_uniform_", "xavier_normal_",
                  "kaiming_uniform_", "kaiming_normal_"}))),
        Topic("5-03", "activations",
              "Activations and their gradients: sigmoid, tanh, ReLU family, GELU, SiLU, softmax",
              _policy(NUMPY, members={"scipy.special": frozenset({"erf", "erfc"})})),
        Topic("5-04", "losses",
              "Losses from logits, stably: MSE, MAE, Huber, BCE, cross-entropy, hinge, focal, KL",
              forbidden_ops=LOSSES),
        Topic("5-05", "autograd_engine",
              "A scalar autograd engine: Value, iterative backward, the graph, a tiny MLP",
              _policy(frozenset())),
        Topic("5-06", "backprop",
              "Backprop by hand: layer classes, a 3-layer MLP, gradient checks, clipping",
              _policy(NUMPY)),
        Topic("5-07", "torch_fundamentals",
              "PyTorch fundamentals: devices, an nn.Module MLP, nn.init, loaders, train/eval "
              "loops, checkpoints",
              _policy(NUMPY | TORCH | {"torchvision", "torchvision.datasets",
                                       "torchvision.transforms", "data.fashion_mnist",
                                       "data.fixtures", "pathlib"},
                      frozenset({"fashion_mnist_loaders"}))),
        Topic("5-08", "sgd_optimizers",
              "SGD, momentum and Nesterov: update rules, an Optimizer, mini-batches, paths",
              _policy(NUMPY | TORCH, OPTIMIZERS), FUSED_OPTIMIZERS),
        Topic("5-09", "adaptive_optimizers",
              "RMSProp, Adam, AdamW (functions and an Optimizer), LR schedules, the LR finder",
              _policy(NUMPY | TORCH, OPTIMIZERS), FUSED_OPTIMIZERS),
        Topic("5-10", "regularization",
              "Dropout, batch and layer normalisation, early stopping, weight decay",
              _policy(NUMPY | TORCH, OPTIMIZERS), DROPOUT + NORMALISATION + FUSED_OPTIMIZERS),
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
