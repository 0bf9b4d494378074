"""The library-use guard (autograder/runtime/guard.py): armed with a topic's operators, every route
to those kernels raises LibraryUseError, whatever the spelling; disarmed, torch is itself again.
The spellings are those a profiler-based watch could not see (issue 16, mechanism 1) and more."""

from __future__ import annotations

import functools
import itertools
import operator
import threading

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from autograder.course import TOPICS
from autograder.runtime import guard
from autograder.runtime.guard import LibraryUseError

REGULARIZATION = TOPICS["regularization"].forbidden_ops
LOSSES = TOPICS["losses"].forbidden_ops


def x() -> torch.Tensor:
    return torch.randn(8, 6, generator=torch.Generator().manual_seed(0), dtype=torch.float64)


def stats() -> tuple[torch.Tensor, torch.Tensor]:
    return torch.zeros(6, dtype=torch.float64), torch.ones(6, dtype=torch.float64)


def in_thread(call):
    """Run `call` in another thread and re-raise what it raised there."""
    box = []

    def run():
        try:
            call()
        except BaseException as error:
            box.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if box:
        raise box[0]


@torch.jit.script
def scripted_layer_norm(t: torch.Tensor) -> torch.Tensor:
    return torch.layer_norm(t, [6])


def without_torch_function(call):
    with torch._C.DisableTorchFunction():
        return call()


def fused_sgd() -> None:
    param = torch.zeros(3, dtype=torch.float64)
    torch._fused_sgd_([param], [torch.ones(3, dtype=torch.float64)], [], weight_decay=0.0,
                      momentum=0.0, lr=0.1, dampening=0.0, nesterov=False, maximize=False,
                      is_first_step=True)


# Each spelling of a forbidden kernel. Only the dispatcher sees every one of them.
SPELLINGS = {
    "F.dropout": lambda: F.dropout(x(), 0.5),
    "torch.dropout (no grad)": lambda: torch.no_grad()(lambda: torch.dropout(x(), 0.5, True))(),
    "nn.Dropout": lambda: nn.Dropout(0.5)(x()),
    "torch.native_dropout": lambda: torch.native_dropout(x(), 0.5, True),
    "F.batch_norm": lambda: F.batch_norm(x(), *stats(), training=True),
    "nn.BatchNorm1d": lambda: nn.BatchNorm1d(6, dtype=torch.float64)(x()),
    "partial(torch.batch_norm)": lambda: functools.partial(
        torch.batch_norm, x(), None, None, *stats(), True, 0.1, 1e-5, False)(),
    "map(torch.layer_norm)": lambda: list(map(torch.layer_norm, [x()], [(6,)])),
    "starmap(native_batch_norm)": lambda: list(itertools.starmap(
        torch.native_batch_norm, [(x(), None, None, *stats(), True, 0.1, 1e-5)])),
    "operator.call(_fused_sgd_)": lambda: operator.call(fused_sgd),
    "OpOverload": lambda: torch.ops.aten.native_layer_norm.default(x(), [6], None, None, 1e-5),
    "OpOverload._op": lambda: torch.ops.aten.native_layer_norm.default._op(
        x(), [6], None, None, 1e-5),
    "TorchScript": lambda: scripted_layer_norm(x()),
    "torch._refs": lambda: torch._refs.nn.functional.layer_norm(x(), (6,)),
    "inference mode": lambda: torch.inference_mode()(lambda: F.layer_norm(x(), (6,)))(),
    "another thread": lambda: in_thread(lambda: F.group_norm(x().reshape(8, 6, 1), 2)),
    "torch function disabled": lambda: without_torch_function(
        lambda: F.instance_norm(x().reshape(1, 8, 6))),
}


@pytest.mark.parametrize("spelling", SPELLINGS, ids=list(SPELLINGS))
def test_every_spelling_raises(spelling):
    with guard.armed(REGULARIZATION), pytest.raises((LibraryUseError, RuntimeError),
                                                    match=r"aten::|library's own"):
        SPELLINGS[spelling]()


@pytest.mark.parametrize("spelling", ["F.log_softmax", "torch.logsumexp", "F.softplus",
                                      "F.cross_entropy", "nn.MSELoss", "F.kl_div"])
def test_the_losses_topic_forbids_its_library(spelling):
    logits, labels = x(), torch.tensor([0, 1, 2, 3, 4, 5, 0, 1])
    calls = {"F.log_softmax": lambda: F.log_softmax(logits, -1),
             "torch.logsumexp": lambda: torch.logsumexp(logits, -1),
             "F.softplus": lambda: F.softplus(logits),
             "F.cross_entropy": lambda: F.cross_entropy(logits, labels),
             "nn.MSELoss": lambda: nn.MSELoss()(logits, logits),
             "F.kl_div": lambda: F.kl_div(logits, logits.exp(), reduction="sum")}
    with guard.armed(LOSSES), pytest.raises(LibraryUseError, match="aten::"):
        calls[spelling]()


def test_elementary_operations_still_work_and_disarming_restores_torch():
    with guard.armed(REGULARIZATION + LOSSES):
        t = x()
        manual = (t - t.mean(0)) / torch.sqrt(t.var(0, unbiased=False) + 1e-5)
        assert torch.isfinite(manual).all()
        torch.softmax(t, -1).exp().log1p().sum().item()
    assert torch.allclose(F.batch_norm(x(), *stats(), training=True), manual)
    F.dropout(x(), 0.5), F.log_softmax(x(), -1)


def test_suspended_gives_the_grader_its_yardstick_back():
    with guard.armed(REGULARIZATION):
        with guard.suspended():
            F.batch_norm(x(), *stats(), training=True)
        with pytest.raises(LibraryUseError):
            F.batch_norm(x(), *stats(), training=True)


def test_every_forbidden_operator_exists_in_this_torch():
    """A name torch does not know would be silently skipped: each topic's list must be real
    (CUDA-only operators are registered for CUDA and still exist on a CPU build)."""
    unknown = {op for topic in TOPICS.values() for op in topic.forbidden_ops
               if getattr(torch.ops.aten, op, None) is None}
    assert unknown <= {"_fused_dropout"}, unknown
