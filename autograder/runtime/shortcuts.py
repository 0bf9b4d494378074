"""Catch an implementation that calls the library's version of what it must implement (ATTACKS.md
row 29: `F.dropout`, `F.batch_norm`, `nn.BatchNorm1d`, `torch.optim.Adam`...).

A profile hook sees every call made while the implementation runs, however the library function
was reached: an alias imported at module load, `torch._VF`, `torch.ops.aten`, or with torch-function
modes disabled. Library Python code is recognised by its file (`torch/optim/...`) or its name in
`torch/nn/functional.py`, C functions by name. Switching the hook off (even briefly) or starting a
low-level thread it cannot follow is itself reported. Threads already running before the block are
not watched: probes call the implementation in the calling thread.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import FrameType

DROPOUT = {"dropout", "dropout_", "native_dropout", "feature_dropout", "feature_dropout_",
           "alpha_dropout", "alpha_dropout_", "feature_alpha_dropout", "feature_alpha_dropout_",
           "dropout1d", "dropout2d", "dropout3d", "_fused_dropout"}
NORMALISATION = {"batch_norm", "native_batch_norm", "_native_batch_norm_legit",
                 "_native_batch_norm_legit_no_training", "_batch_norm_impl_index",
                 "_batch_norm_with_update", "cudnn_batch_norm", "miopen_batch_norm",
                 "batch_norm_stats", "batch_norm_elemt", "instance_norm", "group_norm",
                 "native_group_norm", "layer_norm", "native_layer_norm", "rms_norm",
                 "_fused_rms_norm"}
OPTIMIZERS = {"_fused_adam_", "_fused_adamw_", "_fused_sgd_", "_fused_adagrad_"}
FORBIDDEN = frozenset(DROPOUT | NORMALISATION | OPTIMIZERS)
# Library modules whose code must not run inside the implementation at all.
FORBIDDEN_FILES = ("optim/", "nn/modules/batchnorm.py", "nn/modules/normalization.py",
                   "nn/modules/dropout.py")
TAMPERED = "(the implementation removed the grader's call watch)"
# Calls that switch the watch off, even briefly, or run code where it cannot follow.
UNWATCHABLE = {"setprofile": TAMPERED, "settrace": TAMPERED, "setprofile_all_threads": TAMPERED,
               "start_new_thread": "(the implementation started a low-level thread, which the "
                                   "call watch cannot follow)",
               "start_joinable_thread": "(the implementation started a low-level thread, which "
                                        "the call watch cannot follow)"}


def _library_name(frame: FrameType, event: str, arg: object, forbidden: frozenset[str],
                  files: tuple[str, ...]) -> str | None:
    if event == "c_call":
        name = (getattr(arg, "__qualname__", "") or getattr(arg, "__name__", "")).split(".")[-1]
        if name in UNWATCHABLE and getattr(arg, "__module__", "") in ("sys", "_thread",
                                                                       "threading"):
            return UNWATCHABLE[name]
        return f"torch.{name}" if name in forbidden else None
    if event != "call":
        return None
    code = frame.f_code
    path = code.co_filename.replace("\\", "/")
    if "/torch/" not in path:
        return None
    inside = path.rsplit("/torch/", 1)[1]
    if files and inside.startswith(files):
        return f"torch/{inside} ({code.co_name})"
    if inside == "nn/functional.py" and code.co_name in forbidden:
        return f"torch.nn.functional.{code.co_name}"
    if inside == "_ops.py" and code.co_name == "__call__":  # torch.ops.aten.<op>[.overload]
        parts = str(frame.f_locals.get("self", "")).split(".")
        return f"torch.ops.{'.'.join(parts)}" if len(parts) > 1 and parts[1] in forbidden \
            else None
    return None


@contextmanager
def library_calls(names: Iterable[str] = FORBIDDEN,
                  files: Iterable[str] = FORBIDDEN_FILES) -> Iterator[list[str]]:
    """Collect, in order and without repeats, the forbidden library calls made inside the block:
    C functions and `torch.nn.functional` functions called one of `names` (also reached through
    `torch.ops.aten`), and any code in a torch file whose path (under `torch/`) starts with one of
    `files`. A topic passes its own lists (plain tuples of strings, so probes can ship them); the
    defaults are 5-10's. Not reentrant: a watch opened inside another switches the outer one off,
    which it reports."""
    seen: list[str] = []
    closing = False  # the block's own exit switches the hook off: not tampering
    forbidden, prefixes = frozenset(names), tuple(files)

    def profile(frame: FrameType, event: str, arg: object) -> None:
        name = None if closing else _library_name(frame, event, arg, forbidden, prefixes)
        if name and name not in seen:
            seen.append(name)

    previous, previous_threads = sys.getprofile(), threading.getprofile()
    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        yield seen
    finally:
        tampered = sys.getprofile() is not profile
        closing = True
        sys.setprofile(previous)
        threading.setprofile(previous_threads)
        if tampered and TAMPERED not in seen:
            seen.append(TAMPERED)
