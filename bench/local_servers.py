"""Servers on 127.0.0.1 for the download's scheme checks: an FTP server that trickles its greeting and an
HTTP mirror that redirects every file to it. bench/faults_outputs.py's case and
tests/test_download_schemes.py both start them; only the pace differs (ten seconds a byte against 50 ms).
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from typing import Iterator


@contextlib.contextmanager
def trickling_ftp(pause: float, limit: int, accept_timeout: float = 0.1) -> Iterator[str]:
    """A TCP server that greets every client with '220 ' ... one byte every ``pause`` seconds, ``limit`` bytes
    at most (a client that never gives up is still let go); yields its ``ftp://`` address."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(accept_timeout)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                for byte in (b"220 " + b"." * limit)[:limit]:
                    if done.wait(pause):
                        break
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:  # the client left: what a check wants
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"ftp://127.0.0.1:{listener.getsockname()[1]}/mnist/"
    finally:
        done.set()
        thread.join(pause + 5)
        listener.close()


@contextlib.contextmanager
def redirecting_mirror(target: str, poll_interval: float = 0.05) -> Iterator[str]:
    """An HTTP mirror that answers every file with a 302 to the same file name under ``target``; its address."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", target + self.path.rsplit("/", 1)[-1])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/mnist/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
