"""Command line: ``python main.py [gui|train|evaluate|classify|explain|finetune|replay|memory]``.

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
from convviz.netspec import EXAMPLE_SPEC, TOKEN_FORMS, arch_name
from convviz.pretrained import PRETRAINED_DIR

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1  # training ran but could not finish (NaN loss), or a bug in ConvViz
EXIT_USAGE = 2  # bad input: arguments, files, data, models, images
EXIT_INTERRUPTED = 130
BUG_FRAMES = 3  # a bug's traceback shows its innermost frames; --verbose shows them all


class UsageError(ConvVizError):
    """Bad input found by the CLI itself."""


ARCH_HELP = (
    f"network: {', '.join(ARCHITECTURES)}, or a spec such as {EXAMPLE_SPEC}: layers {TOKEN_FORMS}, "
    "joined by -; the flatten and the 10-way output layer are implied (see the README)"
)
MAX_SHOWN_ARGUMENT = 30  # characters of a bad argument quoted back in an error message
MAX_ERRORS = 500  # evaluate --errors N: at most this many tiles (convviz.explain.MAX_SHEET)
EXPLAIN_METHODS = ("occlusion", "gradient", "gradient_x_input")  # convviz.explain.METHODS, without importing TF


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
    train.add_argument("--arch", default=defaults.arch, metavar="ARCH", help=ARCH_HELP + " (default: %(default)s)")
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
        "--augment",
        action="store_true",
        help="train on a random variant of every image (shift, scale, rotation, slant, elastic distortion, "
        "stroke width); numpy batching only",
    )
    train.add_argument(
        "--forms",
        action="store_true",
        help="draw the continental forms MNIST lacks onto its own digits: an up-stroke on a quarter of the 1s, "
        "a crossbar on a quarter of the 7s of every batch; numpy batching only",
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
    train.add_argument(
        "--record",
        metavar="FILE",
        help="also write the run's record here (loss of every step, epochs, ~200 snapshots of the first layer's "
        "filters and of the probe digit's feature maps, final weights): one .npz; see `replay`",
    )
    train.add_argument(
        "--record-probe",
        type=_non_negative_int,
        default=0,
        metavar="N",
        help="the test image whose feature maps and probabilities the record keeps (default: %(default)s)",
    )
    train.add_argument(
        "--record-no-weights",
        action="store_true",
        help="leave the final weights out of the record (the template's are 18 MB; --save keeps them anyway)",
    )

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
    evaluate.add_argument(
        "--confusion",
        action="store_true",
        help="also the 10x10 confusion matrix (rows: true digit, columns: predicted digit) and each digit's "
        "accuracy; with --json as 'confusion' and 'per_class_accuracy'",
    )
    evaluate.add_argument(
        "--errors",
        metavar="N",
        help=f"write a sheet of the N (1 to {MAX_ERRORS}) most confident mistakes to --errors-png",
    )
    evaluate.add_argument(
        "--errors-png", metavar="FILE", help="the PNG file for --errors: each digit with 'index true->predicted p%%'"
    )

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

    explain = sub.add_parser(
        "explain",
        help="where the network looks: a saliency map of an image of a digit",
        description="Classify an image of a handwritten digit (read as by classify) and write a heat map of "
        "where the network looks over it: occlusion (the drop in the class's probability when a grey patch "
        "hides each part), gradient (the class logit's gradient with respect to each pixel) or "
        "gradient_x_input.",
    )
    explain.add_argument(
        "--model", metavar="DIR", default=str(PRETRAINED_DIR / "cnn"), help="model folder (default: the pretrained cnn)"
    )
    explain.add_argument("image", metavar="IMAGE", help="image file (PNG, JPEG, ...)")
    explain.add_argument("--method", default="occlusion", help=f"{' | '.join(EXPLAIN_METHODS)} (default: %(default)s)")
    explain.add_argument("--png", metavar="OUT", help="the PNG file to write the overlay to (required)")
    explain.add_argument("--class", dest="cls", metavar="D", help="explain digit D (0-9) instead of the predicted one")
    explain.add_argument("--json", action="store_true", help="print one JSON line")

    replay = sub.add_parser(
        "replay",
        help="look at a recorded run (train --record): a summary, the filter timeline as a GIF",
        description="Read a run recorded with `train --record FILE`, check it, and print what it holds; "
        "--gif writes its filter timeline as an animated GIF.",
    )
    replay.add_argument("record", metavar="FILE", help="the recorded run (.npz)")
    replay.add_argument("--gif", metavar="OUT", help="write the first layer's filters over time to this GIF")
    replay.add_argument("--fps", type=_float, default=10.0, metavar="X", help="GIF frames per second (default: 10)")
    replay.add_argument("--json", action="store_true", help="print one JSON line")

    finetune = sub.add_parser(
        "finetune",
        help="teach a model the class's handwriting: fine-tune it on MNIST mixed with a class set",
        description="Fine-tune a saved model on MNIST mixed with a class set (a folder of drawings plus labels.csv "
        "with columns file,label; any image classify reads), varying each drawing (shift, scale, rotation, "
        "slant, elastic distortion, stroke width). Prints the accuracy on the taught drawings, on a held-back "
        "part of the class set and on the MNIST test set, before and after, and saves the new model.",
    )
    finetune.add_argument(
        "--model", metavar="DIR", default=str(PRETRAINED_DIR / "cnn"), help="model folder (default: the pretrained cnn)"
    )
    finetune.add_argument("--drawings", metavar="DIR", required=True, help="the class set folder (labels.csv + images)")
    finetune.add_argument(
        "--save", metavar="OUT", required=True, help="save the fine-tuned model here (a model folder)"
    )
    finetune.add_argument(
        "--steps", type=_positive_int, default=None, metavar="N", help="training steps (default: the Teach button's)"
    )
    finetune.add_argument(
        "--seed", type=_non_negative_int, default=0, metavar="S", help="random seed (default: %(default)s)"
    )
    _add_data_dir(finetune)
    finetune.add_argument("--json", action="store_true", help="end with one JSON line of results on stdout")
    finetune.add_argument("--quiet", action="store_true", help="no progress bar")

    memory = sub.add_parser(
        "memory",
        help="the exercise's memory arithmetic: full batch vs mini-batch",
        description="Bytes of data, weights and activations of one forward pass over the "
        "full training set versus one mini-batch, per layer.",
    )
    memory.add_argument("--arch", default="dense", metavar="ARCH", help=ARCH_HELP + " (default: %(default)s)")
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
        arch=arch_name(args.arch),  # a spec string in its canonical spelling: the name model.json keeps
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
        augment=args.augment,
        forms=args.forms,
    ).validate()
    if args.save:
        from convviz.model import check_save_target

        check_save_target(args.save)  # before the run, not after it: a typo must not cost the training
    if args.record:
        from convviz.recording import check_record_target

        check_record_target(args.record)
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

    from convviz.events import EpochReport, LossChunk, Progress
    from convviz.run import RunSession

    out = sys.stdout
    started = time.perf_counter()
    run_started = time.time()  # a train.log in the --save folder newer than this belongs to this run
    # A bad --record-probe stops here, before training; without --record the run keeps no timeline.
    session = RunSession(
        config,
        data,
        clock=time.perf_counter,
        timeline=bool(args.record),
        probe_index=args.record_probe if args.record else 0,
        snapshots=False,
        timeline_budget=None,
        keep_weights=not args.record_no_weights,
    )
    with session:
        trainer = session.build()
        print(
            f"training {config.arch} with {config.batching} batching on {trainer.train_size} images, "
            f"batch size {config.batch_size}, {config.optimizer} lr {config.learning_rate:g}"
            f"{', augmented' if config.augment else ''}{', continental forms' if config.forms else ''}",
            file=sys.stderr,
        )
        bar, loss = None, None
        for event in session:
            if isinstance(event, LossChunk):
                loss = float(event.losses[-1])
            elif isinstance(event, Progress):
                if bar is None and not args.quiet:
                    bar = tqdm(
                        total=trainer.batches_per_epoch,
                        desc=f"epoch {event.epoch + 1}/{config.epochs}",
                        unit="batch",
                        file=sys.stderr,
                        leave=False,
                    )
                if bar is not None:
                    bar.update(event.done - event.epoch * trainer.batches_per_epoch - bar.n)
                    bar.set_postfix(loss=f"{loss:.3f}")
            elif isinstance(event, EpochReport):
                if bar is not None:
                    bar.close()
                    bar = None
                print(
                    f"epoch {event.epoch + 1}/{config.epochs}: train loss {event.train_loss:.4f}, "
                    f"test accuracy {event.test_accuracy:.2%}, {event.images_per_second:.0f} images/s",
                    file=out,
                    flush=True,
                )
        if bar is not None:
            bar.close()
        if session.exception is not None:
            raise session.exception
        saved = None
        if args.save:
            from convviz.model import Model

            with Model(config.arch, trainer.weights()) as model:
                try:
                    saved = str(model.save(args.save, trainer.metadata(), run_started=run_started))
                except OSError as exc:  # permissions, a full disk: the folder the user named
                    raise UsageError(f"cannot save the model in {args.save}: {exc.strerror or exc}") from None
            print(f"saved model to {saved}", file=sys.stderr)
        if args.record:
            from convviz.recording import save_record

            if session.record is None:
                raise UsageError(f"the run has no valid record to write to {args.record}")
            save_record(session.record, args.record)
            frames = session.record.timeline
            print(
                f"recorded the run to {args.record} ({0 if frames is None else len(frames)} snapshots, "
                f"{session.frame_seconds:.1f} s to take them)",
                file=sys.stderr,
            )
        result = {
            "arch": config.arch,
            "batching": config.batching,
            "batch_size": config.batch_size,
            "epochs": len(trainer.history),
            "optimizer": config.optimizer,
            "learning_rate": config.learning_rate,
            "lr_decay": config.lr_decay,
            "seed": config.seed,
            "augment": config.augment,
            "forms": config.forms,
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
        if args.record:
            result["recorded"] = args.record
    return result


def _count_argument(text: str | None, option: str, maximum: int) -> int | None:
    """``text`` as a whole number from 1 to ``maximum``, or a one-line UsageError naming ``option``."""
    if text is None:
        return None
    shown = text if len(text) <= MAX_SHOWN_ARGUMENT else text[: MAX_SHOWN_ARGUMENT - 3] + "..."
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"{option} must be a whole number from 1 to {maximum}, got {shown!r}") from None
    if not 1 <= value <= maximum:
        raise UsageError(f"{option} must be from 1 to {maximum}, got {shown}")
    return value


def _check_png_target(path: str, option: str) -> None:
    """Refuse, before any work, a PNG path whose folder does not exist or that names a folder."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise UsageError(f"{option} {path} is a folder; name a file")
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path}: the folder {folder} does not exist")


def cmd_evaluate(args) -> int:
    errors = _count_argument(args.errors, "--errors", MAX_ERRORS)
    if errors is not None and not args.errors_png:
        raise UsageError("--errors N needs --errors-png FILE: where to write the sheet")
    if args.errors_png and errors is None:
        raise UsageError("--errors-png FILE needs --errors N: how many mistakes to show")
    if args.errors_png:
        _check_png_target(args.errors_png, "--errors-png")

    from convviz.model import Model

    with Model.load(args.model) as model:
        data = _load_data(args)
        table = None
        if args.confusion or errors is not None:
            from convviz.explain import confusion

            table = confusion(model, data.test_images, data.test_labels)
            accuracy = table.accuracy
        else:
            accuracy = model.accuracy(data.test_images, data.test_labels)
    result = {"model": args.model, "arch": model.arch, "test_images": len(data.test_labels), "test_accuracy": accuracy}
    lines = [f"{model.arch} model {args.model}: test accuracy {accuracy:.2%} on {len(data.test_labels)} images"]
    if args.confusion:
        result["confusion"] = table.matrix.tolist()
        result["per_class_accuracy"] = [None if v != v else round(float(v), 6) for v in table.per_class_accuracy]
        lines.append(format_confusion(table.matrix, table.per_class_accuracy))
    if errors is not None:
        from convviz.explain import mistakes_sheet

        wrong = table.mistakes()
        shown = wrong[:errors]
        result["mistakes"] = len(wrong)
        result["errors_shown"] = len(shown)
        result["errors_png"] = None
        if len(shown):
            mistakes_sheet(
                data.test_images, shown, table.labels, table.predictions, table.probabilities, args.errors_png
            )
            result["errors_png"] = args.errors_png
            lines.append(
                f"wrote the {len(shown)} most confident of {len(wrong)} mistakes to {args.errors_png} "
                "(index true->predicted confidence)"
            )
        else:
            lines.append(f"no mistakes: nothing written to {args.errors_png}")
    print(_json(result) if args.json else "\n".join(lines))
    return EXIT_OK


def format_confusion(matrix, per_class) -> str:
    """The confusion matrix as text: rows the true digit, columns the prediction, each row's accuracy last."""
    width = max(5, len(str(int(matrix.max()))) + 1)
    head = "true\\pred" + "".join(f"{d:>{width}}" for d in range(len(matrix))) + "  accuracy"
    lines = ["confusion matrix: rows = true digit, columns = predicted digit", head]
    for digit, row in enumerate(matrix):
        share = "-" if per_class[digit] != per_class[digit] else f"{per_class[digit]:.2%}"
        lines.append(f"{digit:>9}" + "".join(f"{int(v):>{width}}" for v in row) + f"  {share:>8}")
    return "\n".join(lines)


def cmd_explain(args) -> int:
    if args.method not in EXPLAIN_METHODS:
        shown = args.method[:MAX_SHOWN_ARGUMENT]
        raise UsageError(f"unknown method {shown!r}; choose one of {', '.join(EXPLAIN_METHODS)}")
    if not args.png:
        raise UsageError("explain needs --png OUT: the file to write the saliency overlay to")
    _check_png_target(args.png, "--png")
    cls = None
    if args.cls is not None:
        if args.cls not in tuple("0123456789"):
            raise UsageError(f"--class must be a digit 0 to 9, got {args.cls[:MAX_SHOWN_ARGUMENT]!r}")
        cls = int(args.cls)

    from convviz.preprocess import load_image, to_mnist

    image = to_mnist(load_image(args.image))  # as classify reads it; a bad image is one line

    from convviz.explain import Explainer, saliency, saliency_png

    with Explainer.load(args.model) as explainer:
        digit, digit_probability = explainer.class_probability(image)
        result = saliency(explainer, image, args.method, cls)
    title = f"{args.method}: {result.cls} ({result.probability:.1%})"
    saliency_png(image, result.map, args.png, title=title)
    if args.json:
        line = {
            "file": args.image,
            "digit": digit,
            "digit_probability": round(digit_probability, 6),
            "method": args.method,
            "class": result.cls,
            "probability": round(result.probability, 6),
            "png": args.png,
        }
        print(_json(line))
    else:
        asked = "" if cls is None else f"; class {result.cls}: {result.probability:.2%}"
        print(f"{args.image}: digit {digit} ({digit_probability:.2%}){asked}; {args.method} map written to {args.png}")
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


def cmd_replay(args) -> int:
    from convviz.recording import filters_gif, load_record

    record = load_record(args.record)  # checked; a bad file is one line
    o, t = record.outcome, record.timeline
    summary = {
        "file": args.record,
        "arch": record.arch,
        "config": dict(record.config),
        "train_size": record.train_size,
        "status": o.status,
        "steps": o.steps,
        "examples_seen": o.examples_seen,
        "epochs": len(record.epochs),
        "test_accuracy_per_epoch": [e.test_accuracy for e in record.epochs],
        "test_accuracy": o.test_accuracy,
        "images_per_second": round(o.images_per_second, 1),
        "train_seconds": round(o.train_seconds, 3),
        "wall_seconds": round(o.wall_seconds, 3),
        "loss_points": len(record.losses),
        "first_loss": float(record.losses.losses[0]) if len(record.losses) else None,
        "last_loss": float(record.losses.losses[-1]) if len(record.losses) else None,
        "frames": len(t) if t is not None else 0,
        "frame_steps": [int(s) for s in t.steps] if t is not None else [],
        "probe_index": t.probe_index if t is not None else None,
        "has_weights": record.final_weights is not None,
        "gif": None,
    }
    if args.gif:
        filters_gif(record, args.gif, fps=args.fps)
        summary["gif"] = args.gif
    if args.json:
        print(_json(summary))
    else:
        accuracy = "-" if o.test_accuracy is None else f"{o.test_accuracy:.2%}"
        print(
            f"{args.record}: {record.arch}, {o.status} after {o.steps} steps ({len(record.epochs)} epochs), "
            f"test accuracy {accuracy}, {o.images_per_second:.0f} images/s, {summary['frames']} snapshots"
            + (f"; filter timeline written to {args.gif}" if args.gif else "")
        )
    return EXIT_OK


def cmd_finetune(args) -> int:
    """Fine-tune ``--model`` on MNIST + the class set ``--drawings``; save to ``--save``; before/after table."""
    from convviz.config import SEED_MAX
    from convviz.finetune import MAX_STEPS, FinetuneConfig

    if args.steps is not None and args.steps > MAX_STEPS:
        raise UsageError(f"--steps must be from 1 to {MAX_STEPS}, got {args.steps}")
    if args.seed > SEED_MAX:
        raise UsageError(f"--seed must be from 0 to {SEED_MAX}, got {args.seed}")
    config = FinetuneConfig(seed=args.seed) if args.steps is None else FinetuneConfig(steps=args.steps, seed=args.seed)

    from convviz.classset import load_class_set
    from convviz.model import Model, check_save_target, load_weights

    check_save_target(args.save)  # before the work: a typo must not cost the run
    class_set = load_class_set(args.drawings)
    arch, weights, meta = load_weights(args.model)
    data = _load_data(args)
    run_started = time.time()  # a train.log in the --save folder newer than this belongs to this run
    result = _finetune(arch, weights, class_set, data, config, args.quiet)
    meta = dict(meta)
    meta["test_accuracy"] = result.after.mnist_test
    meta["finetuned"] = {**result.summary(), "from": args.model, "drawings_folder": args.drawings}
    with Model(arch, result.weights, meta) as model:
        saved = str(model.save(args.save, run_started=run_started))
    s = result.summary()
    print(
        f"fine-tuned the {arch} model {args.model} on {s['drawings']} drawings ({s['taught']} taught, "
        f"{s['held_back']} held back) and MNIST: {config.steps} steps in {result.train_seconds:.1f} s"
    )
    print(f"{'accuracy':<28}{'before':>9}{'after':>9}")
    rows = (
        ("taught drawings", "class_set"),
        ("held-back drawings", "held_back"),
        (f"MNIST test ({len(data.test_labels)} digits)", "mnist_test"),
    )
    for title, key in rows:
        before, after = s["before"][key], s["after"][key]
        shown = ["-" if v is None else f"{v:.2%}" for v in (before, after)]
        print(f"{title:<28}{shown[0]:>9}{shown[1]:>9}")
    print(f"saved the model to {saved}", file=sys.stderr)
    if args.json:
        line = {
            "model": args.model,
            "arch": arch,
            "drawings": s["drawings"],
            "taught": s["taught"],
            "held_back": s["held_back"],
            "steps": config.steps,
            "seed": config.seed,
            "mnist_test_accuracy_before": s["before"]["mnist_test"],
            "mnist_test_accuracy_after": s["after"]["mnist_test"],
            "class_set_accuracy_before": s["before"]["class_set"],
            "class_set_accuracy_after": s["after"]["class_set"],
            "held_back_accuracy_before": s["before"]["held_back"],
            "held_back_accuracy_after": s["after"]["held_back"],
            "train_seconds": s["train_seconds"],
            "seconds": s["seconds"],
            "saved": saved,
        }
        print(_json(line))
    return EXIT_OK


def _finetune(arch, weights, class_set, data, config, quiet: bool):
    """Run convviz.finetune.finetune with a progress bar on stderr (none with ``quiet``)."""
    from convviz.finetune import finetune

    if quiet:
        return finetune(arch, weights, class_set, data, config)
    from tqdm import tqdm

    bar = tqdm(total=config.steps, desc="measuring before", unit="step", file=sys.stderr, leave=False)
    titles = {"before": "measuring before", "training": "teaching", "after": "measuring after"}

    def progress(event) -> None:
        if event.phase == "training" and event.step:
            bar.update(1)
            if event.step % 20 == 0:
                bar.set_postfix(loss=f"{event.loss:.3f}")
        else:
            bar.set_description(titles.get(event.phase, event.phase))

    try:
        return finetune(arch, weights, class_set, data, config, progress=progress)
    finally:
        bar.close()


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
        from convviz.gui.window.launch import main as gui_main
    except ImportError as exc:
        raise UsageError(f"the app needs PyQt5 and pyqtgraph ({exc}); run `pip install -r requirements.txt`") from None
    return gui_main([])


COMMANDS = {
    "gui": cmd_gui,
    "train": cmd_train,
    "evaluate": cmd_evaluate,
    "classify": cmd_classify,
    "explain": cmd_explain,
    "finetune": cmd_finetune,
    "memory": cmd_memory,
    "replay": cmd_replay,
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
