"""Row 28 (resources, GPU): at import, take every byte of device memory the allocator will give
(and keep it), and queue minutes of matrix products (public torch only: the source rules accept
it); the graded functions stay honest. The
CUDA checks of this topic fail or time out, the CPU ones pass until the time limit, and once the
topic's process is killed the device is free again: the other topic (CUDA checks included) and
the other submissions are graded in full."""

ROW = 28
EXPECT = {"needs_gpu": True, "below_full": True}

import torch  # noqa: E402

HOARD = []
if torch.cuda.is_available():
    a = torch.randn(8192, 8192, device="cuda")
    b = torch.empty_like(a)
    block = 1 << 30
    while block >= 1 << 20:  # 1 GB blocks, then smaller, down to 1 MB
        try:
            HOARD.append(torch.empty(block, dtype=torch.uint8, device="cuda"))
        except RuntimeError:  # torch.OutOfMemoryError
            block //= 2
    for _ in range(20000):  # minutes of work; launching blocks once the queue is full
        torch.mm(a, a, out=b)
    print(f"holding {sum(t.numel() for t in HOARD) >> 20} MB of device memory", flush=True)
