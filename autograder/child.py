"""The untrusted side of graded mode: one process per topic that imports the submitted module and
runs the probes the parent sends, answering with plain data. Started by `autograder.sandbox`.

    python -I child.py SETTINGS_JSON

It starts as root in fresh PID, network, mount, IPC and UTS namespaces (where the machine allows),
builds a jail (a small tmpfs root holding read-only binds of Python, the libraries, the public
runtime and the submission: no hidden checks, solutions, mutants or config exist there), imports
torch, sets its rlimits, drops to the sandbox uid, says "ready", and only then imports student
code. Everything after that is untrusted: the parent believes nothing but well-formed plain data,
and only as an implementation's answer.

Protocol: length-prefixed frames of `plain.encode` bytes; requests on stdin, answers on fd 3,
stdout and stderr captured by the parent. Until "ready" only the standard library is imported, so
a broken jail is reported as the grader's failure, never charged to the student.
"""

import ctypes
import functools
import json
import os
import resource
import struct
import sys

ANSWERS = 3  # the answer pipe: its number comes in the settings
RUNTIME, SUBMISSION, WORKDIR = "/runtime", "/submission", "/work"
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC = 32, 4096, 16384
PR_SET_NO_NEW_PRIVS = 38


def main(argv: list[str]) -> None:
    global ANSWERS, SUBMISSION
    settings = json.loads(argv[1])
    ANSWERS = settings["answers"]
    if settings["jail"]:
        build_jail(settings["jail"], settings["binds"])
        sys.path[:0] = [RUNTIME, SUBMISSION]
    else:
        sys.path[:0] = settings["paths"]
        SUBMISSION = settings["paths"][1]
    import numpy  # noqa: F401  (imported before any student code, as the parent's are)
    import torch

    from autograder import plain, probing  # noqa: F401  (probing binds its clock now)
    from autograder.local import cuda_available  # and CUDA set to compute deterministically

    if settings["threads"]:
        torch.set_num_threads(settings["threads"])
    limit(settings["cpu_s"], settings["memory_mb"], settings["processes"], settings["file_mb"])
    if settings["uid"] is not None:
        drop_privileges(settings["uid"])
    send(plain.encode({"event": "ready", "torch": str(torch.__version__),
                       "cuda": cuda_available()}))
    serve(plain)


def build_jail(root: str, binds: list[list[str]]) -> None:
    """A tmpfs root with read-only, nosuid binds of what Python needs; then chroot into it."""
    libc = ctypes.CDLL(None, use_errno=True)

    def mount(source, target, fstype, flags, data=""):
        if libc.mount(source.encode(), target.encode(), fstype.encode(), flags,
                      data.encode()) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"mount {source} on {target}: {os.strerror(error)}")

    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=755")
    for source, target in binds:
        inside = root + target
        if os.path.isdir(source):
            os.makedirs(inside, mode=0o755, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(inside), mode=0o755, exist_ok=True)
            open(inside, "a").close()
        mount(source, inside, "", MS_BIND | MS_REC)
        read_only = MS_RDONLY | MS_NOSUID | (0 if target.startswith("/dev/") else MS_NODEV)
        mount("", inside, "", MS_REMOUNT | MS_BIND | read_only)
    for link in ("bin", "lib", "lib64", "sbin"):
        if os.path.islink("/" + link) and not os.path.exists(root + "/" + link):
            os.symlink(os.readlink("/" + link), root + "/" + link)
    os.makedirs(root + "/proc")
    mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.makedirs(root + "/dev/shm", exist_ok=True)
    mount("tmpfs", root + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777")
    for folder, mode in (("/tmp", 0o1777), (WORKDIR, 0o777)):
        os.makedirs(root + folder, exist_ok=True)
        os.chmod(root + folder, mode)
    os.chroot(root)
    os.chdir(WORKDIR)


def limit(cpu_s: int, memory_mb: int, processes: int, file_mb: int) -> None:
    """Limits the kernel enforces on this process and its children (hard = soft: the student
    cannot raise them once unprivileged). CPU counts from now; memory is the data segment, which
    unlike the address space does not count the large reservations CUDA libraries make."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime) + cpu_s
    for which, value in ((resource.RLIMIT_CPU, cpu), (resource.RLIMIT_DATA, memory_mb << 20),
                         (resource.RLIMIT_NPROC, processes), (resource.RLIMIT_FSIZE, file_mb << 20),
                         (resource.RLIMIT_CORE, 0), (resource.RLIMIT_NOFILE, 256)):
        resource.setrlimit(which, (value, value))


def drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)  # from root: also clears every capability
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  # setuid binaries no longer raise privileges


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
    """Answer requests until the parent closes stdin: one "load", then one probe at a time."""
    from autograder import shipping
    from autograder.local import Status, collect, describe_exception

    module = None
    while (frame := receive()) is not None:
        request = plain.decode(frame)
        if request["op"] == "load":
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
        try:
            payload = plain.encode(answer)
        except plain.NotPlainError as error:
            payload = plain.encode({"status": "error",
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
