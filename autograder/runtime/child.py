"""The untrusted side of graded mode. Started by `autograder.sandbox.zygote`, once per worker slot
and grading run:

    python -I child.py SETTINGS_JSON

It starts as root in fresh PID, network, mount, IPC and UTS namespaces (where the machine allows),
builds a jail (a small tmpfs root holding read-only binds of Python, the libraries, the public
runtime and the submission: no hidden checks, solutions, mutants or config exist there), imports
numpy and torch, and becomes a fork server (the zygote): it never imports student code itself. For
each topic the parent sends it a "fork" request with the topic child's pipes (and, where the host
has one, the topic's memory cgroup). The forked child confines itself (`confine`: the cgroup,
rlimits, its own empty writable folders and IPC namespace, no /proc, the sandbox uid, a seccomp
filter), says "ready" and only then imports the topic's module. Everything after that is
untrusted: the parent believes nothing but well-formed plain data, and only as the answer to the
request it has just sent. Forking saves each topic the torch import (about 2 s here); the parent
kills every process of the topic when it ends, and what the topic wrote dies with its mounts.
The parent shows each submission in turn in the folder bound at /submission.

Protocol: the zygote takes JSON requests, with file descriptors, on the control socket (fd in the
settings) and answers JSON there. A topic child gets requests on fd 0 and answers on fd 3, in
length-prefixed frames of `plain.encode` bytes, one answer per request, each carrying the request's
sequence number and nonce; its stdout and stderr go to the parent's capture. Until "ready" only the
standard library, numpy and torch run, so a broken jail is the grader's failure, never the
student's.
"""

import ctypes
import functools
import json
import os
import socket
import struct
import sys
import time

ANSWERS = 3  # a topic child's answer pipe
RUNTIME, SUBMISSION = "/runtime", "/submission"
PR_SET_CHILD_SUBREAPER = 36


def main(argv: list[str]) -> None:
    global SUBMISSION
    started = time.monotonic()
    settings = json.loads(argv[1])
    if settings["jail"]:  # built with the host's copy of the runtime, then forgotten
        sys.path[:0] = [settings["runtime"]]
        from autograder.runtime import confine

        confine.build_jail(settings["jail"], settings["binds"])
        sys.path[:1] = [RUNTIME, SUBMISSION]
        for name in [m for m in sys.modules if m.split(".")[0] == "autograder"]:
            del sys.modules[name]
    else:
        sys.path[:0] = settings["paths"]
        SUBMISSION = settings["paths"][1]
    # Imported before any student code, as the parent's are. torch._dynamo and torchvision are
    # imported once here rather than in each topic child that needs them: the public runtime's
    # FashionMNIST (torchvision) and the lazy import behind torch.optim's first step (about
    # 1.5 s, in three topics); scipy.special and tqdm likewise, for the modules that use them.
    # make_moons is data.moons' own: no scikit-learn (1.5 s).
    # The public checks (probes name their helpers there) and what they import: once here, not
    # in every topic child (about 0.4 s each).
    import importlib
    import pkgutil

    import numpy  # noqa: F401
    import scipy.special  # noqa: F401  (5-03's erf: 0.2 s of that topic's child otherwise)
    import torch
    import torch._dynamo
    import torchvision  # noqa: F401
    import tqdm  # noqa: F401  (data.progress's bar, which trainings draw)

    import autograder.topics as topics

    # probing binds its clock now; cuda_available runs in each topic child, never here
    from autograder.runtime import confine, guard, outcome, plain, probing  # noqa: F401

    for found in pkgutil.iter_modules(topics.__path__):
        if found.ispkg:
            importlib.import_module(f"{topics.__name__}.{found.name}.public")

    # Read here what torch reads lazily from /proc (gone in each topic child): without it, its
    # CPU kernels fall back to the plain, unvectorised ones, which round differently.
    torch.backends.cpu.get_cpu_capability()

    control = socket.socket(fileno=settings["control"])
    control.sendall(json.dumps({"event": "zygote", "seconds": time.monotonic() - started}).encode())
    zygote(control, settings, str(torch.__version__))


def zygote(control: socket.socket, settings: dict, torch_version: str) -> None:
    """Fork one topic child per "fork" request; report a child's exit status and CPU time on
    "wait". Never runs student code: every topic starts from this clean, already imported state."""
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphans come here to be reaped
    ended: dict[int, tuple[int, float]] = {}  # pid -> (exit code, CPU seconds)
    while True:
        message, fds, _, _ = socket.recv_fds(control, 1 << 16, 4)
        if not message:
            return  # the parent closed the socket: the submission is done
        request = json.loads(message)
        if request["op"] == "fork":
            pid = os.fork()
            if pid == 0:
                control.close()
                topic_child(fds, settings, request, torch_version)
            for fd in fds:
                os.close(fd)
            reply = {"pid": pid}
        else:  # "wait": how the child ended, waiting up to the timeout for it to end
            deadline = time.monotonic() + request["timeout"]
            while request["pid"] not in ended and time.monotonic() < deadline:
                reap(ended)
                time.sleep(0.01)
            code, cpu = ended.pop(request["pid"], (None, 0.0))
            reply = {"code": code, "cpu_s": cpu}
        reap(ended)
        control.sendall(json.dumps(reply).encode())


def reap(ended: dict[int, tuple[int, float]]) -> None:
    while True:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        ended[pid] = (os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)


def topic_child(fds: list[int], settings: dict, request: dict, torch_version: str) -> None:
    """The forked child of one topic: its pipes on fds 0-3, its own session and confinement;
    then "ready" and the requests. Never returns."""
    try:
        from autograder.runtime import confine

        requests, output, answers, *cgroup = fds
        for fd, target in ((requests, 0), (output, 1), (output, 2), (answers, ANSWERS)):
            os.dup2(fd, target)
        for fd in {requests, output, answers} - {0, 1, 2, ANSWERS}:
            os.close(fd)
        os.setsid()
        cuda_devices = os.path.exists("/dev/nvidiactl")
        if cgroup:
            confine.join_cgroup(cgroup[0])
        # Before the mounts: the address-space limit is measured from /proc, which they remove.
        confine.limit(request["cpu_s"], request["memory_mb"], request["processes"],
                      request["file_mb"], address_space=not cgroup and not cuda_devices)
        if settings["jail"]:
            confine.fresh_mounts(keep_proc=cuda_devices)
        else:
            os.chdir(request["workdir"])
        if settings["uid"] is not None:
            confine.drop_privileges(settings["uid"])
        confine.not_dumpable()
        confine.die_with_parent()
        filtered = confine.install_seccomp()
        import numpy
        import torch

        from autograder.runtime import plain
        from autograder.runtime.outcome import cuda_available

        numpy.random.seed()  # a fresh process's entropy, not the zygote's shared state
        if request["threads"]:
            torch.set_num_threads(request["threads"])
        if request["gpu_share"] and cuda_available():
            # Its share of the device: a topic that hoards GPU memory (docs/attacks.md, row 28)
            # cannot starve the topic another worker grades beside it on the same GPU.
            torch.cuda.set_per_process_memory_fraction(request["gpu_share"])
        send(plain.encode({"seq": 0, "nonce": request["nonce"], "event": "ready",
                           "torch": torch_version, "cuda": cuda_available(),
                           "cpu": torch.backends.cpu.get_cpu_capability(),
                           "seccomp": filtered}))
    except BaseException:  # the grader's own failure, before any student code: say what broke
        import traceback

        traceback.print_exc()
        os._exit(70)
    try:
        serve(plain)
    finally:
        os._exit(0)


def send(payload: bytes) -> None:
    frame = struct.pack("<Q", len(payload)) + payload
    while frame:
        frame = frame[os.write(ANSWERS, frame):]


def receive() -> bytes | None:
    header = _read_exactly(8)
    return None if header is None else _read_exactly(struct.unpack("<Q", header)[0])


def _read_exactly(n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = os.read(0, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def serve(plain) -> None:
    """Answer requests until the parent closes stdin: one "load", then one probe at a time. Each
    answer carries its request's sequence number and nonce, which only this loop holds."""
    from autograder.runtime import guard, shipping
    from autograder.runtime.outcome import Status, collect, describe_exception

    module = None
    while (frame := receive()) is not None:
        request = plain.decode(frame)
        if request["op"] == "load":
            guard.arm(request["forbidden_ops"])  # before the module's own code runs
            module, answer = load(request["module"], describe_exception)
        else:
            probe = shipping.unpack(request["probe"])
            params = shipping.unpack_params(request["params"])
            try:
                run = functools.partial(probe, module, request["device"], **params)
                status, data = collect(run, module, request["function"])
            except BaseException as error:  # SystemExit, KeyboardInterrupt: the check's error
                status, data = Status.ERROR, describe_exception(error, module)
            answer = ({"status": "data", "data": data} if status is None
                      else {"status": str(status), "message": data})
        stamp = {"seq": request["seq"], "nonce": request["nonce"]}
        try:
            payload = plain.encode({**answer, **stamp})
        except plain.NotPlainError as error:
            payload = plain.encode({"status": "error", **stamp,
                                    "message": f"returned something that is not data: {error}"})
        send(payload)


def load(name: str, describe_exception) -> tuple[object, dict]:
    """Import the submitted module; an error (syntax, a missing package, SystemExit at import)
    is reported with its line and costs only this topic."""
    import importlib
    import traceback

    try:
        return importlib.import_module(name), {"event": "loaded"}
    except SyntaxError as error:
        return None, {"event": "load-error", "message": f"SyntaxError: {error.msg} "
                                                        f"(line {error.lineno})"}
    except BaseException as error:
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if f.filename.startswith(SUBMISSION)]
        where = f" (line {frames[-1].lineno})" if frames else ""
        text = str(error).strip().splitlines()
        return None, {"event": "load-error",
                      "message": f"{type(error).__name__}: {text[0] if text else ''}{where}"}


if __name__ == "__main__":
    main(sys.argv)
