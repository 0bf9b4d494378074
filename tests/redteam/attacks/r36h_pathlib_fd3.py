"""Row 36 (forged answers), found here: adam_step_l2 is torch's fused Adam kernel
(torch._fused_adam_, called directly: the watch does see it); inside a call watch it first writes
a forged answer {"calls": []}, covering the genuine {"calls": ["torch._fused_adam_"]} to come,
with `pathlib.Path("/proc/self/fd/3").write_bytes`.
On this grader the write fails (/proc/self/fd is root's in a child that changed uid); it wins where
the sandbox has no uid of its own (checked by forcing separate_uid off)."""

ROW = 36
# WIN on current code: adam_step_l2 keeps full marks, no_torch_optim included. Defence: torch._*
# is outside the allowlist; with the rules off, no /proc, the nonce check and the guard.
EXPECT = {"refused": True,
          "unscanned": {"fail": ["adam_step_l2.no_torch_optim"], "below_full": True}}

import json  # noqa: E402
import pathlib  # noqa: E402
import struct  # noqa: E402
import threading  # noqa: E402

import torch  # noqa: E402

_MAGIC = b"NNFPLAIN1\n"
_LAST = [None]


def _frame(answer, then=0):
    """A length-prefixed plain-data frame whose length also counts `then` bytes still to come."""
    header = json.dumps(answer).encode()
    payload = _MAGIC + struct.pack("<Q", len(header)) + header
    return struct.pack("<Q", len(payload) + then) + payload


def _forgery(calls):
    """Once per watched block: a clean answer whose length prefix also counts the genuine answer
    (`calls`, known in advance), which the child writes next and the parent reads as the
    forgery's unreferenced tail."""
    watch = threading.getprofile()
    if watch is None or watch is _LAST[0]:
        return None
    _LAST[0] = watch
    genuine = _frame({"status": "data", "data": {"calls": calls}})
    return _frame({"status": "data", "data": {"calls": []}}, len(genuine))


def adam_step_l2(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    forged = _forgery(["torch._fused_adam_"])
    if forged:
        pathlib.Path("/proc/self/fd/3").write_bytes(forged)
    w = param.detach().clone()
    if state is None:
        state = {"step": 0, "exp_avg": torch.zeros_like(w), "exp_avg_sq": torch.zeros_like(w)}
    m, v = state["exp_avg"].clone(), state["exp_avg_sq"].clone()
    step = torch.tensor(float(state["step"] + 1))
    torch._fused_adam_([w], [grad.detach().clone()], [m], [v], [], [step], lr=lr, beta1=betas[0],
                       beta2=betas[1], weight_decay=weight_decay, eps=eps, amsgrad=False,
                       maximize=False)
    return w, {"step": state["step"] + 1, "exp_avg": m, "exp_avg_sq": v}
