"""The command line's arguments: one sub-parser per command, with the core's defaults and choices."""

from __future__ import annotations

import argparse

from convviz import __version__
from convviz.archspec import EXAMPLE_SPEC, TOKEN_FORMS
from convviz.cli.attack import add_attack_parser
from convviz.cli.common import MAX_SHOWN_ARGUMENT
from convviz.cli.embedding import EMBEDDING_METHODS
from convviz.cli.evaluate import MAX_ERRORS
from convviz.cli.explain import EXPLAIN_METHODS
from convviz.cli.listen import add_listen_parser
from convviz.cli.sweepargs import add_sweep_parser
from convviz.config import ARCHITECTURES, BATCHINGS, OPTIMIZERS, TrainConfig
from convviz.pretrained import PRETRAINED_DIR

ARCH_HELP = (
    f"network: {', '.join(ARCHITECTURES)}, or a spec such as {EXAMPLE_SPEC}: layers {TOKEN_FORMS}, "
    "joined by -; the flatten and the 10-way output layer are implied (see the README)"
)


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


def _bounded_images(text: str) -> int:
    value = _positive_int(text)
    if value > 10000:
        raise argparse.ArgumentTypeError(f"{value} is more than the 10000 test digits")
    return value


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
        "hides each part), gradient (the class logit's gradient with respect to each pixel), "
        "gradient_x_input, integrated_gradients (from a black image, 48 steps) or smoothgrad (25 noisy copies, "
        "sigma 0.15).",
    )
    explain.add_argument(
        "--model", metavar="DIR", default=str(PRETRAINED_DIR / "cnn"), help="model folder (default: the pretrained cnn)"
    )
    explain.add_argument("image", metavar="IMAGE", help="image file (PNG, JPEG, ...)")
    explain.add_argument("--method", default="occlusion", help=f"{' | '.join(EXPLAIN_METHODS)} (default: %(default)s)")
    explain.add_argument("--png", metavar="OUT", help="the PNG file to write the overlay to (required)")
    explain.add_argument("--class", dest="cls", metavar="D", help="explain digit D (0-9) instead of the predicted one")
    explain.add_argument("--json", action="store_true", help="print one JSON line")
    explain.add_argument(
        "--sanity",
        action="store_true",
        help="also the map of the same network with random weights (OUT-randomised.png) and the rank "
        "correlation of the two (Adebayo et al. 2018): near 1, the map does not show what the network learned",
    )

    embedding = sub.add_parser(
        "embedding",
        help="how each layer separates the digits: 2-D maps of test digits and a k-NN accuracy per layer",
        description="Map the activations of fixed test digits (stratified by label) in the input and every "
        "layer to 2-D (PCA, or t-SNE with scikit-learn) and print, per layer from the input to the logits, "
        "the leave-one-out 5-nearest-neighbour accuracy in that map.",
    )
    embedding.add_argument(
        "--model", metavar="DIR", default=str(PRETRAINED_DIR / "cnn"), help="model folder (default: the pretrained cnn)"
    )
    embedding.add_argument("--layers", nargs="+", metavar="NAME", help="only these layers (input, conv1, ..., logits)")
    embedding.add_argument("--method", default="pca", help=f"{' | '.join(EMBEDDING_METHODS)} (default: %(default)s)")
    embedding.add_argument(
        "--images", type=_bounded_images, default=2000, metavar="N", help="test digits in the maps (default: 2000)"
    )
    embedding.add_argument("--png", metavar="OUT", help="write the maps to this PNG")
    embedding.add_argument("--json", action="store_true", help="print one JSON line")
    _add_data_dir(embedding)

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
        "part of the class set (whole writers where labels.csv names them) and on the MNIST test set, before and "
        "after, each with its count and 95 % interval, and saves the new model.",
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

    classset = sub.add_parser(
        "classset",
        help="look after class sets: merge several students' sets into one",
        description="Class sets (a folder of drawings plus labels.csv with columns file,label[,writer]). "
        "merge OUT IN...: add the drawings of each IN (a class set, or a folder of class sets, one per "
        "student) to OUT, keeping the writers (a set without a writer column gets its folder's name); "
        "a file that is missing or holds no digit is left out with one line, the good ones are kept. "
        "Teach from OUT with `finetune --drawings OUT`: the held-back part is then whole writers.",
    )
    classset_sub = classset.add_subparsers(dest="classset_command", metavar="ACTION", required=True)
    merge = classset_sub.add_parser("merge", help="merge class sets into one, keeping the writers")
    merge.add_argument("out", metavar="OUT", help="the merged class set (created if needed; added to if it exists)")
    merge.add_argument("inputs", metavar="IN", nargs="+", help="class set folders, or folders of them")
    merge.add_argument("--json", action="store_true", help="end with one JSON line on stdout")

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

    add_listen_parser(sub, _positive_int, _non_negative_int)
    add_sweep_parser(sub, _data_options=_add_data_dir)
    add_attack_parser(sub, _add_data_dir, str(PRETRAINED_DIR / "cnn"))
    return parser
