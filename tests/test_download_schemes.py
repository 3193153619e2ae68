"""The download follows http and https only: a redirect to ``ftp://`` (whose connection the deadline's
watchdog cannot cut) or an ``ftp://`` mirror fails that mirror at once, in one line.

Both servers run on 127.0.0.1 inside the test; the FTP one trickles its greeting, a byte every 50 ms, which
no socket timeout ever trips.
"""

from __future__ import annotations

import http.server
import threading

import pytest

from bench import local_servers
from convviz import download
from convviz.mnistfiles import DataError

TRICKLE_SECONDS = 0.05
MAX_TRICKLE_BYTES = 200  # bounds the trickle (10 s) when a client never gives up


@pytest.fixture
def trickling_ftp():
    """A TCP server that greets every client with '220 ' ... a byte at a time; its address."""
    with local_servers.trickling_ftp(TRICKLE_SECONDS, MAX_TRICKLE_BYTES) as url:
        yield url


@pytest.fixture
def redirecting_mirror(trickling_ftp):
    """An HTTP mirror that answers every file with a 302 to the trickling FTP server."""
    with local_servers.redirecting_mirror(trickling_ftp, poll_interval=0.02) as url:
        yield url


def test_a_redirect_to_ftp_fails_the_mirror_in_one_line(tmp_path, redirecting_mirror):
    with pytest.raises(DataError) as caught:
        download.download_mnist(tmp_path / "mnist", mirrors=[redirecting_mirror], timeout=5, deadline=1.0)
    message = str(caught.value)
    assert "only http and https are followed" in message and "ftp://127.0.0.1" in message
    assert "gave up" not in message  # refused at the redirect, not cut by the deadline
    assert message.count("\n") == 0 and not (tmp_path / "mnist").exists()


def test_an_ftp_mirror_is_not_tried(tmp_path, trickling_ftp):
    with pytest.raises(DataError, match="not an http or https address"):
        download.download_mnist(tmp_path / "mnist", mirrors=[trickling_ftp], timeout=5, deadline=1.0)


def test_a_fifo_where_a_downloaded_file_goes_is_never_replaced(tmp_path):
    import functools
    import os
    import stat

    from tests.conftest import mnist_dir

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mnist_dir()))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    dest = tmp_path / "mnist"
    dest.mkdir()
    fifo = dest / "train-images-idx3-ubyte.gz"
    os.mkfifo(str(fifo))
    try:
        with pytest.raises(DataError, match="FIFO") as caught:
            download.download_mnist(dest, mirrors=[f"http://127.0.0.1:{httpd.server_address[1]}/"], timeout=5)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
    assert str(caught.value).count("\n") == 0 and stat.S_ISFIFO(os.lstat(str(fifo)).st_mode)
    assert sorted(os.listdir(str(dest))) == [fifo.name]  # and no .part left beside it
