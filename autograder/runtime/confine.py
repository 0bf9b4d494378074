"""How the grading child confines itself, before any student code exists in it: the jail (once per
fork server), then for each topic child its own mounts and IPC objects, its memory cgroup, its
rlimits, the sandbox uid, and a seccomp filter. Everything here is done with the kernel's own
interfaces through ctypes (no package to install), in this order, and each step is one the
student's code cannot undo once the process has dropped to the sandbox uid: the mounts are in a
namespace it cannot leave, the limits are hard limits set by root, and a seccomp filter can only
ever be made stricter.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import struct

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 32, 4096, 8192, 16384, 1 << 18
MNT_DETACH = 2
CLONE_NEWNS, CLONE_NEWIPC = 0x00020000, 0x08000000
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 1, 4, 38
WORKDIR = "/work"  # a topic's working directory in the jail
SCRATCH_MB = 64  # each of a topic's writable folders (/tmp, /work, /dev/shm) in the jail
_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def mount(source: str, target: str, fstype: str, flags: int, data: str = "") -> None:
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode(), flags, data.encode()),
           f"mount {source} on {target}")


# ---- the jail: once per fork server ---------------------------------------------------------

def build_jail(root: str, binds: list[list[str]]) -> None:
    """A tmpfs root with read-only, nosuid binds of what Python needs; then chroot into it."""
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
    for folder in ("/tmp", WORKDIR, "/dev/shm", "/.aside"):
        os.makedirs(root + folder, mode=0o755, exist_ok=True)
    os.chroot(root)
    os.chdir("/")


# ---- each topic child: fresh writable folders, no /proc, its own IPC objects -----------------

def fresh_mounts(keep_proc: bool) -> None:
    """In a mount and IPC namespace of this topic's own, new empty tmpfs on /tmp, the working
    folder and /dev/shm, and (unless CUDA needs it) no /proc: nothing a topic writes survives it
    (the namespace dies with its last process), however deep, large or numerous, and nothing of
    an earlier topic or submission is there to read. The jail's read-only binds that lie below
    one of these folders (a checkout in /tmp or /work) are moved aside and back on top."""
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWIPC), "unshare")
    mount("none", "/", "", MS_REC | MS_PRIVATE)
    folders = {"/tmp": "1777", WORKDIR: "0777", "/dev/shm": "1777"}
    nested = [target for target in _mount_points()
              if any(target.startswith(folder + "/") for folder in folders)]
    nested = [t for t in nested if not any(t.startswith(o + "/") for o in nested)]
    aside = []
    for index, target in enumerate(nested):
        place = f"/.aside/{index}"
        os.makedirs(place, exist_ok=True)
        mount(target, place, "", MS_MOVE)
        aside.append((place, target))
    for folder, mode in folders.items():
        mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV,
              f"size={SCRATCH_MB}m,mode={mode}")
    for place, target in aside:
        os.makedirs(target, mode=0o755, exist_ok=True)  # root's: the student cannot move it
        mount(place, target, "", MS_MOVE)
    os.chdir(WORKDIR)
    if not keep_proc:
        _check(_libc.umount2(b"/proc", MNT_DETACH), "umount /proc")


def _mount_points() -> list[str]:
    with open("/proc/self/mountinfo") as table:
        return [line.split()[4].replace("\\040", " ") for line in table]


# ---- limits, uid ------------------------------------------------------------------------------

def join_cgroup(fd: int) -> None:
    """Move this process into the topic's memory cgroup (the parent made it and passed an open
    `cgroup.procs`): from here on every page it and its children touch, shared memory and tmpfs
    included, counts against one limit. "0" is this process, in any PID namespace."""
    try:
        os.write(fd, b"0")
    finally:
        os.close(fd)


def limit(cpu_s: int, memory_mb: int, processes: int, file_mb: int, address_space: bool) -> None:
    """Limits the kernel enforces on this process and its children (hard = soft: the student
    cannot raise them once unprivileged). CPU counts from now. Memory: the data segment always;
    with `address_space` (no memory cgroup and no CUDA, whose libraries reserve terabytes of
    addresses) also the address space beyond what is mapped now, which counts shared mappings."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime) + cpu_s
    limits = [(resource.RLIMIT_CPU, cpu), (resource.RLIMIT_DATA, memory_mb << 20),
              (resource.RLIMIT_NPROC, processes), (resource.RLIMIT_FSIZE, file_mb << 20),
              (resource.RLIMIT_CORE, 0), (resource.RLIMIT_NOFILE, 256)]
    if address_space:
        limits.append((resource.RLIMIT_AS, _mapped_bytes() + (memory_mb << 20)))
    for which, value in limits:
        resource.setrlimit(which, (value, value))


def _mapped_bytes() -> int:
    with open("/proc/self/status") as status:
        line = next(x for x in status if x.startswith("VmSize:"))
    return int(line.split()[1]) << 10


def drop_privileges(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)  # from root: also clears every capability
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  # setuid binaries no longer raise privileges


def not_dumpable() -> None:
    """/proc/<pid>/mem, /proc/<pid>/fd and ptrace of this process become root's only."""
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def die_with_parent() -> None:
    _libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)  # SIGKILL when the zygote dies


# ---- seccomp ----------------------------------------------------------------------------------

# Per architecture: the audit value, and the numbers of the system calls the filter looks at.
_ARCH = {
    "x86_64": (0xC000003E, {
        "close": 3, "dup2": 33, "dup3": 292, "close_range": 436, "prctl": 157,
        "denied": (101, 310, 311, 165, 166, 272, 308, 155, 161, 321, 298, 425, 426, 427, 250,
                   248, 249, 246, 320, 175, 313, 176, 304, 303, 428, 429, 430, 431, 432, 433,
                   438, 312)}),
    "aarch64": (0xC00000B7, {
        "close": 57, "dup2": None, "dup3": 24, "close_range": 436, "prctl": 167,
        "denied": (117, 270, 271, 40, 39, 97, 268, 41, 51, 280, 241, 425, 426, 427, 219, 217,
                   218, 104, 294, 105, 273, 106, 265, 264, 428, 429, 430, 431, 432, 433, 438,
                   272)}),
}
# Denied outright: ptrace, process_vm_readv/writev, mount, umount2, unshare, setns, pivot_root,
# chroot, bpf, perf_event_open, io_uring_setup/enter/register (its operations bypass seccomp),
# keyctl, add_key, request_key, kexec_load, kexec_file_load, init/finit/delete_module,
# open_by_handle_at, name_to_handle_at, the new mount API, pidfd_getfd (another process's fds),
# kcmp.
PROTOCOL_FDS = 4  # 0 requests, 1 and 2 output, 3 answers: never closed, never replaced
_LD, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW, _KILL, _EPERM = 0x7FFF0000, 0x80000000, 0x00050000 | errno.EPERM
_NR, _ARCH_OFFSET, _ARG0, _ARG1 = 0, 4, 16, 24  # struct seccomp_data (low words of the args)


def seccomp_program(machine: str) -> bytes:
    """A classic BPF filter: the protocol's fds 0-3 cannot be closed or replaced (dup2/dup3 onto
    them, close, close_range over them), dumpability and the ptracer cannot be changed back, and
    the calls listed above fail with EPERM. Nothing else is touched, so torch, CUDA and NumPy
    behave as usual. A relay needs to put a pipe of its own where the answers go: it cannot."""
    audit, numbers = _ARCH[machine]
    code: list[tuple[int, int, int, int]] = []  # (op, jt, jf, k), jumps relative

    def ret(value: int) -> None:
        code.append((_RET, 0, 0, value))

    def when(nr: int, arg_offset: int, below: int) -> None:
        """nr with arg < `below` (unsigned) -> EPERM; other args fall through to the next test."""
        code.extend([(_JEQ, 0, 4, nr), (_LD, 0, 0, arg_offset), (_JGE, 1, 0, below)])
        ret(_EPERM)
        code.append((_LD, 0, 0, _NR))

    code.append((_LD, 0, 0, _ARCH_OFFSET))
    code.append((_JEQ, 1, 0, audit))
    ret(_KILL)
    code.append((_LD, 0, 0, _NR))
    if machine == "x86_64":  # the x32 ABI's numbers: a second table the tests above would miss
        code.append((_JGE, 0, 1, 0x40000000))
        ret(_EPERM)
    for nr in numbers["denied"]:
        code.append((_JEQ, 0, 1, nr))
        ret(_EPERM)
    for name, offset in (("dup2", _ARG1), ("dup3", _ARG1), ("close", _ARG0),
                         ("close_range", _ARG0)):
        if numbers[name] is not None:
            when(numbers[name], offset, PROTOCOL_FDS)
    code.extend([(_JEQ, 0, 5, numbers["prctl"]), (_LD, 0, 0, _ARG0),
                 (_JEQ, 2, 0, PR_SET_DUMPABLE), (_JEQ, 1, 0, 0x59616D61)])  # PR_SET_PTRACER
    ret(_ALLOW)
    ret(_EPERM)
    ret(_ALLOW)
    return b"".join(struct.pack("HBBI", op, jt, jf, k) for op, jt, jf, k in code)


def install_seccomp() -> bool:
    """Install the filter on this (single-threaded) process and every thread and child it will
    have; False where the kernel or architecture offers none (the parent reports it)."""
    machine = platform.machine()
    if machine not in _ARCH:
        return False
    program = seccomp_program(machine)
    buffer = ctypes.create_string_buffer(program, len(program))

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = Program(len(program) // 8, ctypes.addressof(buffer))
    _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    return _libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) == 0  # PR_SET_SECCOMP, FILTER
