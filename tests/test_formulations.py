"""Every correct formulation gets full marks. Each file in `tests/formulations/<topic>/` is a
patch over the reference solution (the mutant format) that writes some functions another correct
way the docstrings accept: CS336 assignment 1's AdamW (the decay after the Adam update, the bias
correction folded into the step size), a scale divided by sqrt(D) rather than multiplied by
sqrt(1 / D). Each must earn full marks on every check of its topic, and must really differ from the
reference (some probe's data not bit for bit the same), so the test proves the checks accept it,
not that it happens to agree; where a check accepts several formulations (`any_of`), torch's alone
must fail it, unless the file says `ACCEPTED_BY_TOLERANCE = True` (a spelling of torch's own
formulation that only the check's tolerance has to absorb).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from autograder import impl
from autograder.course import TOPICS
from autograder.local import LocalRunner
from autograder.runtime import plain
from autograder.runtime.compare import EXACT, Mismatch
from autograder.runtime.outcome import Status
from tests.helpers import replaced

FOLDER = Path(__file__).parent / "formulations"
FORMULATIONS = sorted(FOLDER.glob("*/*.py"))


@functools.cache
def _runner(topic_name: str) -> LocalRunner:
    """One runner per topic: its expected data are computed once for all its formulations."""
    return LocalRunner(impl.load(impl.SOLUTIONS, TOPICS[topic_name]))


class _TorchOnly(LocalRunner):
    """Judges an any_of check against its first formulation (torch's) only."""

    def __init__(self, full: LocalRunner):
        super().__init__(full.reference)
        self.full = full

    def expected(self, check):
        want = self.full.expected(check)
        return want[:1] if check.expect.kind == "any" else want


def _failures(runner: LocalRunner, checks, module) -> list[str]:
    outcomes = [runner.run(check, module) for check in checks if not check.needs_gpu]
    return [f"{o.check.name}: {o.status.value}: {o.message[:200]}" for o in outcomes
            if o.status is not Status.PASSED]


@pytest.mark.parametrize("path", FORMULATIONS, ids=[f"{p.parent.name}/{p.stem}"
                                                    for p in FORMULATIONS])
def test_formulation_gets_full_marks(path: Path, config) -> None:
    topic = TOPICS[path.parent.name]
    source = impl.patched_source(impl.SOLUTIONS, topic, path.read_text(), path.stem)
    module = impl.load_source(source, topic, path)
    checks = config.checks(topic)
    failures = _failures(_runner(topic.name), checks, module)
    assert not failures, f"{path.stem} is correct but lost points:\n" + "\n".join(failures)
    reference = _runner(topic.name).reference
    assert not all(_same(_answer(c, module), _answer(c, reference)) for c in checks
                   if not c.needs_gpu), f"{path.stem} computes what the reference does, bit for bit"
    alternatives = [c for c in checks if c.expect.kind == "any" and c.function in replaced(path)]
    if alternatives and not getattr(module, "ACCEPTED_BY_TOLERANCE", False):
        assert _failures(_TorchOnly(_runner(topic.name)), alternatives, module), \
            f"{path.stem} agrees with torch's formulation: the alternatives are not tested"


def _answer(check, module):
    """The probe's plain data (or the error it raised, as text)."""
    try:
        return plain.roundtrip(plain.to_plain(check.run_probe(module)))
    except Exception as error:  # an error is an answer too
        return f"{type(error).__name__}: {error}"


def _same(got, want) -> bool:
    try:
        EXACT(got, want)
    except Mismatch:
        return False
    return True


@pytest.mark.parametrize("alpha", [0.25, 0.9, None, -1.0])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_the_focal_oracle_is_torchvisions_sigmoid_focal_loss(alpha, reduction):
    """5-04's focal oracle is written out (torchvision costs 1.4 s of every `make check`); it
    must equal torchvision.ops.sigmoid_focal_loss, values and gradients, in float64."""
    import torch
    from torchvision.ops import sigmoid_focal_loss

    from autograder.topics.losses.public import _focal

    generator = torch.Generator().manual_seed(0)
    logits = (4 * torch.randn(64, 5, generator=generator, dtype=torch.float64)).requires_grad_()
    targets = (torch.rand(64, 5, generator=generator, dtype=torch.float64) > 0.5).double()
    for gamma in (0.0, 2.0, 3.5):
        ours = _focal(logits, targets, alpha, gamma, reduction)
        theirs = sigmoid_focal_loss(logits, targets, -1.0 if alpha is None else alpha, gamma,
                                    reduction)
        torch.testing.assert_close(ours, theirs, rtol=1e-15, atol=1e-15)
        upstream = torch.ones_like(ours)
        torch.testing.assert_close(torch.autograd.grad(ours, logits, upstream)[0],
                                   torch.autograd.grad(theirs, logits, upstream)[0],
                                   rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_optimizer_oracles_are_torch_optims_classes(dtype):
    """runtime/oracles.py steps with torch's functional SGD and Adam (constructing an optimizer
    imports torch._dynamo: a second of `make check`); three steps of each must equal three steps
    of torch.optim.SGD, Adam and AdamW bit for bit, state included."""
    import torch

    from autograder.runtime import oracles

    generator = torch.Generator().manual_seed(0)
    kind = getattr(torch, dtype)
    param = torch.randn(7, 3, generator=generator, dtype=kind)
    grads = [torch.randn(7, 3, generator=generator, dtype=kind) for _ in range(3)]
    for weight_decay in (0.0, 0.1):
        weight = torch.nn.Parameter(param.clone())
        library = torch.optim.SGD([weight], lr=0.05, weight_decay=weight_decay)
        ours = param
        for grad in grads:
            weight.grad = grad.clone()
            library.step()
            ours = oracles.torch_sgd_step(ours, grad, 0.05, weight_decay)
            assert torch.equal(ours, weight.detach())
        for step, optimizer in ((oracles.adam_step, torch.optim.Adam),
                                (oracles.adamw_step, torch.optim.AdamW)):
            weight = torch.nn.Parameter(param.clone())
            library = optimizer([weight], lr=0.01, betas=(0.8, 0.99), eps=1e-6,
                                weight_decay=weight_decay, foreach=False)
            ours, state = param, None
            for grad in grads:
                weight.grad = grad.clone()
                library.step()
                ours, state = step(ours, grad, state, 0.01, (0.8, 0.99), 1e-6, weight_decay)
                theirs = library.state[weight]
                assert torch.equal(ours, weight.detach())
                assert state["step"] == int(theirs["step"].item())
                assert torch.equal(state["exp_avg"], theirs["exp_avg"])
                assert torch.equal(state["exp_avg_sq"], theirs["exp_avg_sq"])
