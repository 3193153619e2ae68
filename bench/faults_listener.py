"""The fault table's rows for ``python main.py listen --headless``: hostile clients against the listener.

Registered into :data:`bench.faults.CASES` (``--only listen`` runs just these).
Each case starts ``listen --headless --json --port 0 --streams N`` in a child
through faults' WRAPPER (so its peak RSS is measured the same way), reads the
port and token from its stderr, plays the hostile client on 127.0.0.1, then
one well-behaved stream, and expects: the hostile part refused with its one
line, the good stream's JSON line, exit 0, no traceback. Helpers from
``bench.faults`` are imported inside the functions: faults imports this module.
"""

from __future__ import annotations

import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"127\.0\.0\.1:(\d+) with token (\S+)")
WAIT_S = 60


def _protocol():
    from convviz.bridge import protocol

    return protocol


def _hello(token: str) -> bytes:
    return _protocol().encode({"type": "hello", "token": token, "name": "faults", "version": 1})


def _connect(port: int, token: str | None = None) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    if token is not None:
        sock.sendall(_hello(token))
        _protocol().read_message(sock)  # the welcome
    return sock


def _good_stream(port: int, token: str) -> None:
    """One well-behaved stream; while the listener is still closing the attack's streams (a full house
    refuses a new one), it tries again."""
    p = _protocol()
    deadline = time.monotonic() + 10
    while True:
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        with sock:
            sock.sendall(_hello(token))
            if p.read_message(sock).kind == "welcome":
                sock.sendall(p.encode({"type": "losses", "first": 1}, np.ones(3, np.float32)))
                sock.sendall(p.encode({"type": "close"}))
                time.sleep(0.2)
                return
        if time.monotonic() > deadline:
            raise OSError("the listener refused the good stream for 10 s")
        time.sleep(0.2)


def _run(scratch: Path, streams: int, attack) -> tuple:
    """(Run, what the attack returned) for one listen child."""
    from bench import faults

    hwm_file = scratch.parent / f".hwm-{scratch.name}"
    args = ["listen", "--headless", "--json", "--port", "0", "--streams", str(streams)]
    command = [sys.executable, "-c", faults.WRAPPER, str(hwm_file), "", "600", *args]
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(scratch), PYTHONUNBUFFERED="1")
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(command, cwd=str(scratch), stdout=out, stderr=subprocess.PIPE, env=env, text=True)
        lines: list = []
        found = threading.Event()

        def read() -> None:
            for line in proc.stderr:
                lines.append(line)
                if LISTENING.search(line):
                    found.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        note = ""
        if found.wait(WAIT_S):
            port, token = LISTENING.search("".join(lines)).groups()
            try:
                note = attack(int(port), token) or ""
                _good_stream(int(port), token)
            except OSError as exc:  # the row says so; the child is then waited for (or killed) as usual
                note = f"the client saw {type(exc).__name__}: {exc}"
                proc.kill()
        try:
            _, status, usage = os.wait4(proc.pid, 0) if found.is_set() else (proc.kill(), 9, None)
        except ChildProcessError:
            status, usage = 9, None
        reader.join(5)
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    rc = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    peak = faults._peak_kb(hwm_file, usage.ru_maxrss if usage else 0) / 1024
    return faults.Run(rc, stdout, "".join(lines), peak, time.perf_counter() - started), note


def _listen_case(streams: int, attack, needle: str):
    def function(scratch: Path, mirror, description: str, expected: str):
        from bench import faults

        before = faults.snapshot(scratch)
        run, note = _run(scratch, streams, attack)
        refusals = [line.strip() for line in run.stderr.splitlines() if needle in line]
        good = '{"steps": 3, "losses": 3' in run.stdout
        ok = run.rc == 0 and len(refusals) >= 1 and good and "Traceback" not in run.stderr
        shown = refusals[0] if refusals else run.last_error
        observed = (
            f"exit {run.rc}: {shown}" + (f"; {note}" if note else "") + ("; the good stream arrived" if good else "")
        )
        return faults.row_from(description, expected, run, ok, faults.snapshot(scratch) - before, observed)

    return function


def _wrong_token(port: int, token: str) -> str:
    with _connect(port) as sock:
        sock.sendall(_hello("guess-" + token[:4]))
        answer = _protocol().read_message(sock)
    return f"the client read {answer.kind!r}"


def _bomb_before_hello(port: int, token: str) -> None:
    with _connect(port) as sock:
        sock.sendall(struct.pack(">I", 0xFFFFFFFF) + b"x" * 1024)
        time.sleep(0.3)


def _oversized(port: int, token: str) -> None:
    with _connect(port, token) as sock:
        sock.sendall(struct.pack(">II", 100 << 20, 16) + b"x" * 4096)
        time.sleep(0.3)


def _deep_json(port: int, token: str) -> None:
    header = b'{"type": "losses", "first": 1, "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    with _connect(port, token) as sock:
        sock.sendall(struct.pack(">II", len(header) + 4, len(header)) + header)
        time.sleep(0.3)


def _flood(port: int, token: str) -> str:
    one = _protocol().encode({"type": "losses", "first": 1}, np.ones(1, np.float32))
    with _connect(port, token) as sock:
        sock.sendall(one * 20000)
        sock.sendall(_protocol().encode({"type": "close"}))
        time.sleep(0.5)
    return "20,000 one-loss messages sent at once"


def _many_clients(port: int, token: str) -> None:
    socks = [_connect(port, token) for _ in range(4)]  # the most streams open at once
    try:
        extra = socket.create_connection(("127.0.0.1", port), timeout=10)
        extra.sendall(_hello(token))
        _protocol().read_message(extra)
        extra.close()
    finally:
        p = _protocol()
        for sock in socks:
            sock.sendall(p.encode({"type": "close"}))
            sock.close()


LISTENER_CASES = [
    (
        "listen-no-token",
        "listen: a client with a wrong token",
        "refused with one line; the next stream is served",
        _listen_case(1, _wrong_token, "wrong token"),
    ),
    (
        "listen-bomb-hello",
        "listen: a 4 GiB length before the hello",
        "refused unread (4 KiB limit); RSS of a baseline",
        _listen_case(1, _bomb_before_hello, "over the limit of 4096"),
    ),
    (
        "listen-oversized",
        "listen: a 100 MiB message after the hello",
        "that stream closed with one line, unread",
        _listen_case(2, _oversized, "over the limit of 8388608"),
    ),
    (
        "listen-deep-json",
        "listen: a header nesting 5,000 levels",
        "that stream closed with one line",
        _listen_case(2, _deep_json, "nests deeper"),
    ),
    (
        "listen-flood",
        "listen: a flood of messages",
        "the excess dropped with one note; the listener serves on",
        _listen_case(2, _flood, "sends too fast"),
    ),
    (
        "listen-fifth-client",
        "listen: a fifth client while 4 streams are open",
        "refused with one line",
        _listen_case(5, _many_clients, "streams are open already"),
    ),
]
