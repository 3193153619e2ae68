"""The ``sweep`` command's arguments (a module of its own: the parser module stays one concern per command).

Batch sizes, the policy and the target are taken as text and checked by :mod:`convviz.sweep`, so a
bad value ends with one line (``convviz: error: ...``) and exit status 2, as every ConfigError does.
"""

from __future__ import annotations

from convviz.config import ARCHITECTURES, BATCHINGS, OPTIMIZERS


def add_sweep_parser(sub, _data_options) -> None:
    sweep = sub.add_parser(
        "sweep",
        help="the batch-size lab: one network at several batch sizes, measured",
        description="Train one network at several batch sizes on the same seed; report steps, examples and "
        "seconds to a target accuracy, images/s, one step's memory (predicted and measured) and the "
        "gradient noise (cosine to a 10,000-image gradient, B_simple of McCandlish et al. 2018).",
    )
    sweep.add_argument(
        "--arch", default="lenet5", metavar="ARCH", help=f"network: {', '.join(ARCHITECTURES)} or a spec"
    )
    sweep.add_argument("--batch-sizes", default="8,32,128,512,2048", metavar="B,B,...", help="(default: %(default)s)")
    sweep.add_argument(
        "--target", type=float, default=0.95, metavar="ACC", help="test accuracy to reach (default: 0.95)"
    )
    sweep.add_argument(
        "--max-examples", type=int, default=60000, metavar="N", help="images each run may train on (default: 60000)"
    )
    sweep.add_argument("--lr-policy", default="fixed", metavar="fixed|linear|sqrt", help="(default: fixed)")
    sweep.add_argument(
        "--lr", type=float, default=1e-3, metavar="RATE", help="learning rate for a batch of 64 (default: 0.001)"
    )
    sweep.add_argument("--optimizer", default="adam", choices=OPTIMIZERS)
    sweep.add_argument("--batching", default="numpy", choices=BATCHINGS)
    sweep.add_argument("--seed", type=int, default=0, metavar="S")
    sweep.add_argument("--train-limit", type=int, default=None, metavar="N", help="train on the first N images")
    sweep.add_argument("--eval-images", type=int, default=2000, metavar="N", help="test images per accuracy point")
    sweep.add_argument("--no-noise", action="store_true", help="skip the gradient-noise meter")
    sweep.add_argument("--json", action="store_true", help="the last line is one JSON object")
    sweep.add_argument("--png", metavar="FILE", help="write steps to the target against B (log-log) as a PNG")
    _data_options(sweep)
