"""Command line: ``python main.py [gui|train|evaluate|classify|memory]``.

Every subcommand turns its arguments into the core's dataclasses and calls the
core; nothing here knows TensorFlow. A :class:`~convviz.errors.ConvVizError`
(bad input) ends with one line on stderr and exit status 2, never a traceback;
any other exception is a bug in ConvViz and ends with a short traceback and
exit status 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import traceback

from convviz import __version__
from convviz.config import ARCHITECTURES, BATCHINGS, OPTIMIZERS, TrainConfig
from convviz.errors import ConvVizError
from convviz.pretrained import PRETRAINED_DIR

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1  # training ran but could not finish (NaN loss), or a bug in ConvViz
EXIT_USAGE = 2  # bad input: arguments, files, data, models, images
EXIT_INTERRUPTED = 130
BUG_FRAMES = 3  # a bug's traceback shows its innermost frames; --verbose shows them all


class UsageError(ConvVizError):
    """Bad input found by the CLI itself."""


MAX_SHOWN_ARGUMENT = 30  # characters of a bad argument quoted back in an error message


def _whole_number(text: str, minimum: int) -> int:
    shown = text if len(text) <= MAX_SHOWN_ARGUMENT else text[: MAX_SHOWN_ARGUMENT - 3] + "..."
    try:
        value = int(text)
    except ValueError:  # also beyond Python's 4300-digit limit for int()
        raise argparse.ArgumentTypeError(f"{shown!r} is not a whole number") from None
    if value < minimum:
        bound = f"at least {minimum}" if minimum else "0 or more"
        raise argparse.ArgumentTypeError(f"{shown} must be {bound}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, 1)


def _non_negative_int(text: str) -> int:
    return _whole_number(text, 0)


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder with the four MNIST .gz files (default: $CONVVIZ_DATA_DIR, ~/deep.TEACHING/data/MNIST, "
        "the app's cache, else download)",
    )
    parser.add_argument("--no-download", action="store_true", help="fail instead of downloading MNIST")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description="ConvViz: watch a convolutional neural network learn MNIST. Without a command it opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"ConvViz {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the app (the default)", description="Open the ConvViz window.")

    defaults = TrainConfig()
    train = sub.add_parser("train", help="train a network on MNIST", description="Train a network on MNIST.")
    train.add_argument("--arch", choices=ARCHITECTURES, default=defaults.arch, help="network (default: %(default)s)")
    train.add_argument(
        "--batching", choices=BATCHINGS, default=defaults.batching, help="batching strategy (default: %(default)s)"
    )
    train.add_argument(
        "--batch-size",
        type=_positive_int,
        default=defaults.batch_size,
        metavar="N",
        help="images per training step (default: %(default)s)",
    )
    train.add_argument(
        "--epochs",
        type=_positive_int,
        default=defaults.epochs,
        metavar="N",
        help="passes over the training set (default: %(default)s)",
    )
    train.add_argument(
        "--optimizer", choices=OPTIMIZERS, default=defaults.optimizer, help="optimizer (default: %(default)s)"
    )
    train.add_argument(
        "--lr", type=_float, default=None, metavar="X", help="learning rate (default: 0.001 for adam, 0.05 for sgd)"
    )
    train.add_argument(
        "--momentum", type=_float, default=defaults.momentum, metavar="X", help="SGD momentum (default: %(default)s)"
    )
    train.add_argument(
        "--lr-decay",
        type=_float,
        default=defaults.lr_decay,
        metavar="X",
        help="multiply the learning rate by X after each epoch (default: %(default)s)",
    )
    train.add_argument(
        "--seed", type=_non_negative_int, default=defaults.seed, metavar="N", help="random seed (default: %(default)s)"
    )
    train.add_argument(
        "--train-limit", type=_positive_int, default=None, metavar="N", help="train on the first N training images only"
    )
    train.add_argument(
        "--eval-batch-size",
        type=_positive_int,
        default=defaults.eval_batch_size,
        metavar="N",
        help="test images per evaluation batch (default: %(default)s)",
    )
    _add_data_dir(train)
    train.add_argument("--save", metavar="DIR", help="save the trained model (weights + model.json) here")
    train.add_argument("--json", action="store_true", help="end with one JSON line of results on stdout")
    train.add_argument("--quiet", action="store_true", help="no progress bars")

    evaluate = sub.add_parser(
        "evaluate",
        help="test accuracy of a saved model",
        description="Test accuracy of a saved model on the 10,000 MNIST test images.",
    )
    evaluate.add_argument(
        "--model", metavar="DIR", default=str(PRETRAINED_DIR / "cnn"), help="model folder (default: the pretrained cnn)"
    )
    _add_data_dir(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print one JSON line")

    classify = sub.add_parser(
        "classify",
        help="classify image files of digits",
        description="Classify images of handwritten digits (any size, dark-on-light or "
        "light-on-dark); prints one JSON line per image.",
    )
    classify.add_argument(
        "--model", metavar="DIR", default=str(PRETRAINED_DIR / "cnn"), help="model folder (default: the pretrained cnn)"
    )
    classify.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG, ...)")

    memory = sub.add_parser(
        "memory",
        help="the exercise's memory arithmetic: full batch vs mini-batch",
        description="Bytes of data, weights and activations of one forward pass over the "
        "full training set versus one mini-batch, per layer.",
    )
    memory.add_argument("--arch", choices=ARCHITECTURES, default="dense", help="network (default: %(default)s)")
    memory.add_argument(
        "--batch-size",
        type=_positive_int,
        default=defaults.batch_size,
        metavar="N",
        help="mini-batch size (default: %(default)s)",
    )
    memory.add_argument(
        "--images", type=_positive_int, default=60000, metavar="N", help="size of the full batch (default: %(default)s)"
    )
    memory.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


# -- subcommands -----------------------------------------------------------------------------------
def _load_data(args):
    from convviz.data import load_mnist, tqdm_progress

    progress = None if getattr(args, "quiet", False) else tqdm_progress()
    return load_mnist(args.data_dir, download=not args.no_download, progress=progress)


def cmd_train(args) -> int:
    lr = args.lr if args.lr is not None else (1e-3 if args.optimizer == "adam" else 0.05)
    config = TrainConfig(
        arch=args.arch,
        batching=args.batching,
        batch_size=args.batch_size,
        epochs=args.epochs,
        optimizer=args.optimizer,
        learning_rate=lr,
        momentum=args.momentum,
        lr_decay=args.lr_decay,
        seed=args.seed,
        train_limit=args.train_limit,
        eval_batch_size=args.eval_batch_size,
    ).validate()
    if args.save:
        from convviz.model import check_save_target

        check_save_target(args.save)  # before the run, not after it: a typo must not cost the training
    data = _load_data(args)

    from convviz.training import TrainingError

    try:
        result = _train(config, data, args)
    except TrainingError as exc:  # the input was fine, the run was not: exit 1, not 2
        print(f"convviz: {_one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print(_json(result))
    return EXIT_OK


def _train(config: TrainConfig, data, args) -> dict:
    """Train with progress on stderr and one line per epoch on stdout; the results for ``--json``."""
    from tqdm import tqdm

    from convviz.training import BatchEvent, Trainer

    out = sys.stdout
    started = time.perf_counter()
    run_started = time.time()  # a train.log in the --save folder newer than this belongs to this run
    with Trainer(config, data) as trainer:
        print(
            f"training {config.arch} with {config.batching} batching on {trainer.train_size} images, "
            f"batch size {config.batch_size}, {config.optimizer} lr {config.learning_rate:g}",
            file=sys.stderr,
        )
        bar = None
        for event in trainer.run():
            if isinstance(event, BatchEvent):
                if bar is None and not args.quiet:
                    bar = tqdm(
                        total=event.batches_per_epoch,
                        desc=f"epoch {event.epoch + 1}/{config.epochs}",
                        unit="batch",
                        file=sys.stderr,
                        leave=False,
                    )
                if bar is not None:
                    bar.update(1)
                    if event.batch % 20 == 0:
                        bar.set_postfix(loss=f"{event.loss:.3f}")
            else:
                if bar is not None:
                    bar.close()
                    bar = None
                print(
                    f"epoch {event.epoch + 1}/{config.epochs}: train loss {event.train_loss:.4f}, "
                    f"test accuracy {event.test_accuracy:.2%}, {event.images_per_second:.0f} images/s",
                    file=out,
                    flush=True,
                )
        saved = None
        if args.save:
            from convviz.model import Model

            with Model(config.arch, trainer.weights()) as model:
                try:
                    saved = str(model.save(args.save, trainer.metadata(), run_started=run_started))
                except OSError as exc:  # permissions, a full disk: the folder the user named
                    raise UsageError(f"cannot save the model in {args.save}: {exc.strerror or exc}") from None
            print(f"saved model to {saved}", file=sys.stderr)
        result = {
            "arch": config.arch,
            "batching": config.batching,
            "batch_size": config.batch_size,
            "epochs": len(trainer.history),
            "optimizer": config.optimizer,
            "learning_rate": config.learning_rate,
            "lr_decay": config.lr_decay,
            "seed": config.seed,
            "train_images": trainer.images_trained,
            "train_size": trainer.train_size,
            "seconds": round(trainer.train_seconds, 3),
            "images_per_second": round(trainer.images_per_second, 1),
            "total_seconds": round(time.perf_counter() - started, 3),
            "test_accuracy": trainer.test_accuracy,
            "test_accuracy_per_epoch": [e.test_accuracy for e in trainer.history],
            "final_train_loss": trainer.history[-1].train_loss if trainer.history else trainer.last_loss,
            "saved": saved,
        }
    return result


def cmd_evaluate(args) -> int:
    from convviz.model import Model

    model = Model.load(args.model)
    data = _load_data(args)
    accuracy = model.accuracy(data.test_images, data.test_labels)
    result = {"model": args.model, "arch": model.arch, "test_images": len(data.test_labels), "test_accuracy": accuracy}
    if args.json:
        print(_json(result))
    else:
        print(f"{model.arch} model {args.model}: test accuracy {accuracy:.2%} on {len(data.test_labels)} images")
    return EXIT_OK


def cmd_classify(args) -> int:
    """One JSON line per readable image on stdout, one error line per bad one on stderr.

    Every file is reported, in order; the exit status is 2 if any failed.
    """
    from convviz.model import Model
    from convviz.preprocess import PreprocessError, load_image, to_mnist

    failed = 0
    with Model.load(args.model) as model:  # a bad model is one error for all files
        for path in args.images:
            try:
                image = to_mnist(load_image(path))
            except PreprocessError as exc:
                message = _one_line(exc)
                if path not in message:  # "the image is empty" does not say which one
                    message = f"{path}: {message}"
                print(f"convviz: error: {message}", file=sys.stderr, flush=True)
                failed += 1
                continue
            p = model.predict_proba(image)[0]
            line = {"file": path, "digit": int(p.argmax()), "probabilities": [round(float(v), 6) for v in p]}
            print(_json(line), flush=True)
    return EXIT_USAGE if failed else EXIT_OK


def _json(value) -> str:
    """One line of strict JSON: NaN or infinity is a bug to report, not output to print."""
    return json.dumps(value, allow_nan=False)


def cmd_memory(args) -> int:
    from convviz.memory import format_report, memory_report, report_dict

    if args.batch_size > args.images:
        raise UsageError(f"--batch-size {args.batch_size} is larger than the full batch (--images {args.images})")
    report = memory_report(args.arch, args.batch_size, n_images=args.images)
    print(_json(report_dict(report)) if args.json else format_report(report))
    return EXIT_OK


def cmd_gui(args) -> int:
    headless = sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    )
    if headless:  # Qt would abort with a page about platform plugins
        raise UsageError(
            "no display to open the window on: run it in a desktop session (or under xvfb-run), "
            "or use the command line: python main.py --help"
        )
    try:
        from convviz.gui.launch import main as gui_main
    except ImportError as exc:
        raise UsageError(f"the app needs PyQt5 and pyqtgraph ({exc}); run `pip install -r requirements.txt`") from None
    return gui_main([])


COMMANDS = {
    "gui": cmd_gui,
    "train": cmd_train,
    "evaluate": cmd_evaluate,
    "classify": cmd_classify,
    "memory": cmd_memory,
}


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _report_bug(exc: BaseException, verbose: bool) -> None:
    """A short traceback (the whole one with --verbose) and a line that says whose fault it is."""
    limit = None if verbose else -BUG_FRAMES
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__, limit=limit, chain=verbose)
    print("".join(lines).rstrip(), file=sys.stderr)
    hint = "" if verbose else " (run it again with --verbose for the whole traceback)"
    print(f"convviz: this is a bug in ConvViz, not a problem with your input; please report it{hint}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(name)s: %(message)s")
    command = args.command or "gui"
    try:
        return COMMANDS[command](args)
    except KeyboardInterrupt:
        print("convviz: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ConvVizError as exc:
        log.debug("details", exc_info=True)
        print(f"convviz: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        _report_bug(exc, args.verbose)
        return EXIT_FAILED
