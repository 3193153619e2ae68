"""What the commands share: exit codes, the usage error, MNIST loading, the one-line JSON and error text."""

from __future__ import annotations

import json
import os

from convviz.errors import ConvVizError

EXIT_OK = 0
EXIT_FAILED = 1  # training ran but could not finish (NaN loss), or a bug in ConvViz
EXIT_USAGE = 2  # bad input: arguments, files, data, models, images
EXIT_INTERRUPTED = 130

MAX_SHOWN_ARGUMENT = 30  # characters of a bad argument quoted back in an error message


class UsageError(ConvVizError):
    """Bad input found by the CLI itself."""


def load_data(args):
    from convviz.data import load_mnist
    from convviz.download import tqdm_progress

    progress = None if getattr(args, "quiet", False) else tqdm_progress()
    return load_mnist(args.data_dir, download=not args.no_download, progress=progress)


def check_png_target(path: str, option: str) -> None:
    """Refuse, before any work, a PNG path whose folder does not exist or that names a folder."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError(f"{option} {path} is a folder; name a file")
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path}: the folder {folder} does not exist")


def to_json(value) -> str:
    """One line of strict JSON: NaN or infinity is a bug to report, not output to print."""
    return json.dumps(value, allow_nan=False)


def one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
