"""The untrusted side of graded mode. Started by `autograder.sandbox`, once per worker slot and
grading run:

    python -I child.py SETTINGS_JSON

It starts as root in fresh PID, network, mount, IPC and UTS namespaces (where the machine allows),
builds a jail (a small tmpfs root holding read-only binds of Python, the libraries, the public
runtime and the submission: no hidden checks, solutions, mutants or config exist there), imports
numpy and torch, and becomes a fork server (the zygote): it never imports student code itself. For
each topic the parent sends it a "fork" request with the topic child's pipes; the forked child
sets its rlimits, drops to the sandbox uid, says "ready" and only then imports the topic's module.
Everything after that is untrusted: the parent believes nothing but well-formed plain data, and
only as an implementation's answer. Forking saves each topic the torch import (about 2 s here);
the parent kills every process of the sandbox uid when a topic ends, and the zygote empties the
writable folders before the next fork, so nothing of one topic (or submission) reaches the next.
The parent shows each submission in turn in the folder bound at /submission.

Protocol: the zygote takes JSON requests, with file descriptors, on the control socket (fd in the
settings) and answers JSON there. A topic child gets requests on stdin and answers on fd 3, in
length-prefixed frames of `plain.encode` bytes; its stdout and stderr go to the parent's capture.
Until "ready" only the standard library is imported, so a broken jail is reported as the
grader's failure, never charged to the student.
"""

import contextlib
import ctypes
import functools
import json
import os
import resource
import socket
import struct
import sys
import time

ANSWERS = 3  # a topic child's answer pipe
RUNTIME, SUBMISSION, WORKDIR = "/runtime", "/submission", "/work"
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC = 32, 4096, 16384
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 36, 38


def main(argv: list[str]) -> None:
    global SUBMISSION
    started = time.monotonic()
    settings = json.loads(argv[1])
    if settings["jail"]:
        build_jail(settings["jail"], settings["binds"])
        sys.path[:0] = [RUNTIME, SUBMISSION]
    else:
        sys.path[:0] = settings["paths"]
        SUBMISSION = settings["paths"][1]
    # Imported before any student code, as the parent's are. sklearn.datasets, torch._dynamo and
    # torchvision are imported once here rather than in each topic child that needs them: the
    # public runtime's datasets (make_moons, about 2 s; torchvision) and the lazy import behind
    # torch.optim's first step (about 1.5 s, in three topics).
    import numpy  # noqa: F401
    import sklearn.datasets  # noqa: F401
    import torch
    import torch._dynamo
    import torchvision  # noqa: F401

    # probing binds its clock now; local.cuda_available runs in each topic child, never here
    from autograder.runtime import outcome, plain, probing  # noqa: F401

    control = socket.socket(fileno=settings["control"])
    control.sendall(json.dumps({"event": "zygote", "seconds": time.monotonic() - started}).encode())
    zygote(control, settings, str(torch.__version__))


def zygote(control: socket.socket, settings: dict, torch_version: str) -> None:
    """Fork one topic child per "fork" request; report a child's exit status on "wait". Never
    runs student code: every topic starts from this clean, already imported state."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphans come here to be reaped
    ended: dict[int, int] = {}  # pid -> exit code (negative: killed by that signal)
    while True:
        message, fds, _, _ = socket.recv_fds(control, 1 << 16, 3)
        if not message:
            return  # the parent closed the socket: the submission is done
        request = json.loads(message)
        if request["op"] == "fork":
            empty_writable_folders(settings)
            pid = os.fork()
            if pid == 0:
                control.close()
                topic_child(fds, settings, request, torch_version)
            for fd in fds:
                os.close(fd)
            reply = {"pid": pid}
        else:  # "wait": the child's exit code, waiting up to the timeout for it to end
            deadline = time.monotonic() + request["timeout"]
            while request["pid"] not in ended and time.monotonic() < deadline:
                reap(ended)
                time.sleep(0.01)
            reply = {"code": ended.pop(request["pid"], None)}
        reap(ended)
        control.sendall(json.dumps(reply).encode())


def reap(ended: dict[int, int]) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        ended[pid] = os.waitstatus_to_exitcode(status)


def empty_writable_folders(settings: dict) -> None:
    """What a topic wrote (in the jail: /tmp, /work and /dev/shm, and System V shared memory,
    semaphores and message queues; else the scratch folder that is the working directory) is
    gone before the next topic starts."""
    for folder in ["/tmp", WORKDIR, "/dev/shm"] if settings["jail"] else [os.getcwd()]:
        empty_folder(folder)
    if settings["jail"]:  # our own IPC namespace (never the host's, whose objects are not ours)
        remove_ipc_objects()


IPC_RMID = 0


def remove_ipc_objects() -> None:
    """Remove every System V IPC object of this IPC namespace: they outlive their processes."""
    libc = ctypes.CDLL(None, use_errno=True)
    for kind, remove in (("shm", lambda i: libc.shmctl(i, IPC_RMID, None)),
                         ("sem", lambda i: libc.semctl(i, 0, IPC_RMID)),
                         ("msg", lambda i: libc.msgctl(i, IPC_RMID, None))):
        with contextlib.suppress(OSError), open(f"/proc/sysvipc/{kind}") as table:
            for line in table.read().splitlines()[1:]:
                remove(int(line.split()[1]))


def empty_folder(folder: str) -> None:
    """Remove what is in `folder` without ever crossing into another file system: the jail's
    read-only binds of the grader's Python may lie below /tmp or /work (a checkout in /tmp), and
    are left alone. Iterative: a student's directory a million levels deep cannot break it."""
    device = os.lstat(folder).st_dev
    pending, folders = [folder], []
    while pending:
        with contextlib.suppress(OSError), os.scandir(pending.pop()) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_dev != device:
                        continue  # a mount point
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                        folders.append(entry.path)
                    else:
                        os.unlink(entry.path)
    for path in reversed(folders):  # deepest first; one holding a mount point stays
        with contextlib.suppress(OSError):
            os.rmdir(path)


def topic_child(fds: list[int], settings: dict, request: dict, torch_version: str) -> None:
    """The forked child of one topic: its pipes on fds 0-3, its own session, its limits, the
    sandbox uid; then "ready" and the requests. Never returns."""
    try:
        requests, output, answers = fds
        for fd, target in ((requests, 0), (output, 1), (output, 2), (answers, ANSWERS)):
            os.dup2(fd, target)
        for fd in set(fds) - {0, 1, 2, ANSWERS}:
            os.close(fd)
        os.setsid()
        import numpy
        import torch

        from autograder.runtime import plain
        from autograder.runtime.outcome import cuda_available

        numpy.random.seed()  # a fresh process's entropy, not the zygote's shared state
        if request["threads"]:
            torch.set_num_threads(request["threads"])
        limit(request["cpu_s"], request["memory_mb"], request["processes"], request["file_mb"])
        if settings["uid"] is not None:
            drop_privileges(settings["uid"])
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)  # SIGKILL when the zygote dies
        send(plain.encode({"event": "ready", "torch": torch_version, "cuda": cuda_available()}))
        serve(plain)
    finally:
        os._exit(0)


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
    from autograder.runtime import shipping
    from autograder.runtime.outcome import Status, collect, describe_exception

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
