"""Tests of autograder.runtime.shortcuts: the call watch that catches library shortcuts."""

from __future__ import annotations

import _thread
import sys
import threading

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.functional import dropout as aliased_dropout

from autograder.runtime import shortcuts
from autograder.runtime.shortcuts import TAMPERED, library_calls


@pytest.fixture(autouse=True)
def no_profile_leaks():
    """Every test starts and ends without a profile function, whatever it does."""
    assert sys.getprofile() is None
    yield
    leaked = sys.getprofile()
    sys.setprofile(None)
    threading.setprofile(None)
    assert leaked is None


@pytest.fixture
def x() -> torch.Tensor:
    return torch.randn(8, 6, generator=torch.Generator().manual_seed(0), dtype=torch.float64)


def stats(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.zeros(x.shape[1], dtype=x.dtype), torch.ones(x.shape[1], dtype=x.dtype)


def adam_step(x: torch.Tensor) -> None:
    param = torch.zeros(3, requires_grad=True)
    optimizer = torch.optim.Adam([param], lr=0.1)
    param.grad = torch.ones(3)
    optimizer.step()


def layer_norm_without_torch_function(x: torch.Tensor) -> None:
    with torch._C.DisableTorchFunction():
        F.layer_norm(x, (6,))


# Each shortcut and a name the watch must report for it.
SHORTCUTS = {
    "F.dropout": (lambda x: F.dropout(x, 0.5), "torch.nn.functional.dropout"),
    "aliased dropout": (lambda x: aliased_dropout(x, 0.5), "torch.nn.functional.dropout"),
    "torch._VF.dropout": (lambda x: torch._VF.dropout(x, 0.5, True), "torch.dropout"),
    "torch.dropout": (lambda x: torch.dropout(x, 0.5, True), "torch.dropout"),
    "nn.Dropout": (lambda x: nn.Dropout(0.5)(x), "torch/nn/modules/dropout.py (forward)"),
    "F.batch_norm": (lambda x: F.batch_norm(x, *stats(x), training=True),
                     "torch.nn.functional.batch_norm"),
    "nn.BatchNorm1d": (lambda x: nn.BatchNorm1d(6, dtype=x.dtype)(x),
                       "torch/nn/modules/batchnorm.py (forward)"),
    "torch.batch_norm": (lambda x: torch.batch_norm(x, None, None, *stats(x), True, 0.1, 1e-5,
                                                    False), "torch.batch_norm"),
    "torch.native_batch_norm": (lambda x: torch.native_batch_norm(x, None, None, *stats(x), True,
                                                                  0.1, 1e-5),
                                "torch.native_batch_norm"),
    "F.layer_norm": (lambda x: F.layer_norm(x, (6,)), "torch.nn.functional.layer_norm"),
    "aten.native_layer_norm": (
        lambda x: torch.ops.aten.native_layer_norm(x, [6], None, None, 1e-5),
        "torch.ops.aten.native_layer_norm"),
    "aten.native_layer_norm.default": (
        lambda x: torch.ops.aten.native_layer_norm.default(x, [6], None, None, 1e-5),
        "torch.ops.aten.native_layer_norm.default"),
    "F.group_norm": (lambda x: F.group_norm(x.reshape(8, 6, 1), 2),
                     "torch.nn.functional.group_norm"),
    "torch.optim.Adam": (adam_step, "torch/optim/adam.py (step)"),
    "F.layer_norm without torch function": (layer_norm_without_torch_function,
                                            "torch.nn.functional.layer_norm"),
}


@pytest.mark.parametrize("name", list(SHORTCUTS))
def test_library_shortcut_is_recorded(name, x):
    call, expected = SHORTCUTS[name]
    with library_calls() as seen:
        call(x)
    assert seen, f"{name} went unnoticed"
    assert expected in seen, seen
    assert TAMPERED not in seen
    assert len(seen) == len(set(seen))  # without repeats


def test_torch_functional_layer_norm_also_reports_the_c_function(x):
    with library_calls() as seen:
        F.layer_norm(x, (6,))
    assert seen == ["torch.nn.functional.layer_norm", "torch.layer_norm"]


def test_elementary_operations_record_nothing(x):
    generator = torch.Generator().manual_seed(1)
    with library_calls() as seen:
        mean = x.mean(dim=0)
        var = x.var(dim=0, correction=0)
        y = (x - mean) / torch.sqrt(var + 1e-5)
        u = torch.rand(x.shape, generator=generator, dtype=x.dtype)
        mask = torch.bernoulli(torch.full_like(x, 0.7), generator=generator)
        z = torch.where(u >= 0.5, x, torch.zeros_like(x)) * mask
        w = x @ x.T + torch.matmul(x, x.T)
        s = y.sum() + z.sum() + w.sum() + x.std() + torch.mean(x) + torch.var(x)
        s.item()
    assert seen == []


def test_elementary_autograd_records_nothing(x):
    leaf = x.clone().requires_grad_(True)
    with library_calls() as seen:
        mean = leaf.mean(dim=-1, keepdim=True)
        var = leaf.var(dim=-1, keepdim=True, correction=0)
        ((leaf - mean) / torch.sqrt(var + 1e-5)).pow(2).sum().backward()
    assert seen == []
    assert leaf.grad is not None


def test_calls_are_recorded_in_order_without_repeats(x):
    with library_calls() as seen:
        F.layer_norm(x, (6,))
        F.dropout(x, 0.5)
        F.layer_norm(x, (6,))
        F.dropout(x, 0.5)
    assert seen == ["torch.nn.functional.layer_norm", "torch.layer_norm",
                    "torch.nn.functional.dropout", "torch.dropout"]


def test_call_from_student_like_module_is_recorded(x):
    # An implementation that imported the library function under another name at load time.
    source = ("from torch.nn.functional import batch_norm as bn\n"
              "def my_batch_norm(x, mean, var):\n"
              "    return bn(x, mean, var, training=False)\n")
    names: dict[str, object] = {}
    exec(compile(source, "/tmp/submission/regularization.py", "exec"), names)
    with library_calls() as seen:
        names["my_batch_norm"](x, *stats(x))
    assert "torch.nn.functional.batch_norm" in seen


def test_call_in_a_new_thread_is_recorded(x):
    with library_calls() as seen:
        thread = threading.Thread(target=lambda: F.dropout(x, 0.5))
        thread.start()
        thread.join()
    assert "torch.nn.functional.dropout" in seen
    assert "torch.dropout" in seen


def test_threads_started_after_the_block_are_not_watched(x):
    with library_calls() as seen:
        pass
    thread = threading.Thread(target=lambda: F.dropout(x, 0.5))
    thread.start()
    thread.join()
    assert seen == []


def test_nothing_is_recorded_after_the_block(x):
    with library_calls() as seen:
        F.dropout(x, 0.5)
    recorded = list(seen)
    F.layer_norm(x, (6,))
    assert seen == recorded


def test_removing_the_hook_is_reported(x):
    with library_calls() as seen:
        sys.setprofile(None)
    assert seen == [TAMPERED]
    assert sys.getprofile() is None


def test_calls_before_tampering_are_kept(x):
    with library_calls() as seen:
        F.dropout(x, 0.5)
        sys.setprofile(None)
        F.layer_norm(x, (6,))  # unwatched now, but the tampering itself is on record
    assert seen[:2] == ["torch.nn.functional.dropout", "torch.dropout"]
    assert seen[-1] == TAMPERED
    assert shortcuts.TAMPERED == TAMPERED


def test_replacing_the_hook_is_reported():
    def other(frame, event, arg):
        return None

    with library_calls() as seen:
        sys.setprofile(other)
    assert seen == [TAMPERED]
    assert sys.getprofile() is None


def test_removing_and_restoring_the_hook_is_reported(x):
    # sys.getprofile() hands the hook to the implementation, which can put it back afterwards.
    with library_calls() as seen:
        hook = sys.getprofile()
        sys.setprofile(None)
        F.dropout(x, 0.5)
        sys.setprofile(hook)
    assert seen, "a library call made with the hook briefly removed went unnoticed"


def test_call_in_a_low_level_thread_is_recorded(x):
    done = threading.Event()

    def work():
        try:
            F.dropout(x, 0.5)
        finally:
            done.set()

    with library_calls() as seen:
        _thread.start_new_thread(work, ())
        assert done.wait(timeout=30)
    assert seen, "a library call made in a _thread.start_new_thread thread went unnoticed"


def test_untampered_block_reports_no_tampering(x):
    with library_calls() as seen:
        x.sum()
    assert TAMPERED not in seen


def test_previous_profile_function_is_restored(x):
    events: list[str] = []

    def previous(frame, event, arg):
        events.append(event)

    sys.setprofile(previous)
    try:
        with library_calls() as seen:
            assert sys.getprofile() is not previous
            F.dropout(x, 0.5)
        assert sys.getprofile() is previous
    finally:
        sys.setprofile(None)
    assert "torch.nn.functional.dropout" in seen
    assert TAMPERED not in seen


def test_profile_is_restored_when_the_block_raises(x):
    with pytest.raises(RuntimeError, match="student error"), library_calls() as seen:
        F.dropout(x, 0.5)
        raise RuntimeError("student error")
    assert sys.getprofile() is None
    assert "torch.nn.functional.dropout" in seen


def test_nested_watch_is_reported_by_the_outer_one():
    """Not reentrant, by design: the inner watch switches the outer hook off while it runs, so
    the outer one cannot vouch for that stretch and says so."""
    x = torch.ones(4, 3)
    with library_calls() as outer:
        with library_calls() as inner:
            F.layer_norm(x, (3,))
        F.dropout(x, 0.5)
    assert "torch.nn.functional.layer_norm" in inner
    assert TAMPERED not in inner
    assert "torch.nn.functional.dropout" in outer
    assert TAMPERED in outer


def test_a_topic_passes_its_own_forbidden_names_and_files(x):
    """Each topic forbids its own library functions; the base Optimizer class stays usable when
    only the concrete optimizers' files are forbidden."""
    target = torch.zeros_like(x)
    with library_calls(("mse_loss",), ()) as seen:
        F.mse_loss(x, target)
        F.dropout(x, 0.5, True)  # forbidden by default, not by this topic
    assert seen == ["torch.nn.functional.mse_loss", "torch.mse_loss"]
    param = torch.nn.Parameter(x.clone())
    with library_calls((), ("optim/adam.py",)) as seen:
        torch.optim.Optimizer([param], {"lr": 0.1}).zero_grad()
    assert seen == []
    with library_calls((), ("optim/adam.py",)) as seen:
        param.grad = torch.ones_like(param)
        torch.optim.Adam([param]).step()
    assert seen and seen[0].startswith("torch/optim/adam.py")
