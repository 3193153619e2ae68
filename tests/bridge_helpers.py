"""A headless ``listen`` in a subprocess, for the bridge's tests: its port, token and JSON lines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading

from tests.conftest import ROOT

LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+) with token (\S+)")


class HeadlessListen:
    """``python main.py listen --headless --json --port 0 --streams N``; ``port`` and ``token`` once it listens."""

    def __init__(self, streams: int):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "main.py", "listen", "--headless", "--json", "--port", "0", "--streams", str(streams)],
            cwd=str(ROOT),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.stderr_lines: list = []
        self.stdout_lines: list = []
        listening = threading.Event()

        def read(stream, into: list) -> None:
            for line in stream:
                into.append(line)
                found = LISTENING.search(line)
                if found:
                    self.port, self.token = int(found.group(1)), found.group(2)
                    listening.set()

        self._readers = [
            threading.Thread(target=read, args=(self.proc.stderr, self.stderr_lines), daemon=True),
            threading.Thread(target=read, args=(self.proc.stdout, self.stdout_lines), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        if not listening.wait(60):
            self.kill()
            raise AssertionError("listen did not start: " + "".join(self.stderr_lines))

    def results(self, timeout: float = 60) -> tuple:
        """The JSON objects it printed and its stderr, once it exits (after its N streams)."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("listen did not exit: " + "".join(self.stderr_lines)) from None
        for reader in self._readers:
            reader.join(5)
        err = "".join(self.stderr_lines)
        assert self.proc.returncode == 0, err
        return [json.loads(line) for line in self.stdout_lines if line.strip()], err

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
