"""What the commands share: exit codes, the usage error, MNIST loading, the one-line JSON and error text."""

from __future__ import annotations

import json
import os
import sys

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


def check_outputs(outputs, inputs=()) -> None:
    """:func:`convviz.outputs.check_outputs`: before any work, the outputs against each other and the inputs."""
    from convviz.outputs import check_outputs as check

    check(outputs, inputs)


def data_inputs(args) -> list:
    """MNIST's files, in every folder ``load_data`` may read them from, as inputs no output may replace."""
    from convviz.data import candidate_dirs
    from convviz.mnistfiles import MNIST_FILES
    from convviz.outputs import Input

    inputs = []
    for folder in candidate_dirs(getattr(args, "data_dir", None)):
        for name in MNIST_FILES.values():
            for spelled in {name, name[: -len(".gz")] if name.endswith(".gz") else name}:
                inputs.append(Input("an MNIST file", os.path.join(str(folder), spelled)))
    return inputs


def note(text: str) -> None:
    """One line on stderr about a choice made for the user (a lowered batch size)."""
    print(f"convviz: note: {text}", file=sys.stderr, flush=True)


def fit_eval_batch(model_dir, batch_size: int) -> int:
    """The evaluation batch for the model in ``model_dir``, lowered (with a note) to fit the free memory;
    a one-line error when not even one image fits. Reads only ``model.json``."""
    from convviz.memory import fit_batches
    from convviz.model import load_meta

    fit = fit_batches(load_meta(model_dir)["arch"], batch_size, eval_option=None)
    if fit.note:
        note(fit.note)
    return fit.eval_batch_size


def to_json(value) -> str:
    """One line of strict JSON: NaN or infinity is a bug to report, not output to print."""
    return json.dumps(value, allow_nan=False)


def one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
