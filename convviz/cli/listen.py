"""``listen``: wait for a notebook's ``convviz.watch`` streams, in the window or headless.

Headless (``--headless``) it prints the line to paste into the notebook on
stderr, each refusal as one line on stderr, and for each stream that closes one
line on stdout (with ``--json`` the JSON object of what arrived); ``--streams N``
ends it after N streams. Without ``--headless`` the window opens with the line
shown in it (:mod:`convviz.cli.window` starts it; the GUI is imported only then).
"""

from __future__ import annotations

import argparse
import sys

from convviz.bridge.listener import DEFAULT_PORT, MAX_STREAMS, Listener, Refused, StreamClosed, StreamOpened
from convviz.cli.common import EXIT_OK, UsageError, to_json

MAX_PORT = 65535
WINDOW_STREAMS = 1  # the window shows one stream at a time as its run; a second notebook is refused meanwhile


def add_listen_parser(sub, positive_int, non_negative_int) -> None:
    listen = sub.add_parser(
        "listen",
        help="show a notebook's own training: wait for `from convviz import watch` streams",
        description="Listen on 127.0.0.1 for the training a notebook streams with `from convviz import watch` "
        "(loss, accuracy, the first conv layer's kernels and feature maps), with a token printed here; "
        "the window shows each stream as a run.",
    )
    listen.add_argument(
        "--port",
        type=non_negative_int,
        default=DEFAULT_PORT,
        metavar="P",
        help="local port to listen on; 0 picks a free one (default: %(default)s)",
    )
    listen.add_argument("--headless", action="store_true", help="no window: print a line for each stream that closes")
    listen.add_argument("--json", action="store_true", help="with --headless: each such line is one JSON object")
    listen.add_argument(
        "--streams", type=positive_int, default=None, metavar="N", help="exit after N streams have closed"
    )


def _listener(args: argparse.Namespace, streams: int) -> Listener:
    if args.port > MAX_PORT:
        raise UsageError(f"--port {args.port} is not a port (0 to {MAX_PORT})")
    listener = Listener(args.port, max_streams=streams)
    try:
        return listener.start()
    except OSError as exc:
        reason = exc.strerror or exc
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port} ({reason}); try another --port") from None


def cmd_listen(args: argparse.Namespace) -> int:
    if args.json and not args.headless:
        raise UsageError("--json needs --headless (the window shows the streams itself)")
    if not args.headless:
        from convviz.cli.window import cmd_gui

        listener = _listener(args, WINDOW_STREAMS)
        print(f"convviz: listening on 127.0.0.1:{listener.port} with token {listener.token}", file=sys.stderr)
        try:
            return cmd_gui(args, listener=listener)
        finally:
            listener.close()
    with _listener(args, MAX_STREAMS) as listener:
        print(f"convviz: listening on 127.0.0.1:{listener.port} with token {listener.token}", file=sys.stderr)
        print(f"convviz: in the notebook: {listener.paste_line()}", file=sys.stderr, flush=True)
        closed = 0
        for event in listener.events():
            if isinstance(event, Refused):
                print(f"convviz: {event.line}", file=sys.stderr, flush=True)
            elif isinstance(event, StreamOpened):
                print(f"convviz: stream {event.run_id} opened ({event.name or 'unnamed'})", file=sys.stderr)
            elif isinstance(event, StreamClosed):
                closed += 1
                if args.json:
                    print(to_json(event.counts), flush=True)
                else:
                    counts = ", ".join(f"{n} {key.replace('_', ' ')}" for key, n in event.counts.items())
                    print(f"stream {event.run_id}: {counts}", flush=True)
                if args.streams is not None and closed >= args.streams:
                    break
    return EXIT_OK
