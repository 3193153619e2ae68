"""``attack``: a saved model's test accuracy under FGSM or PGD attacks of growing epsilon."""

from __future__ import annotations

import math

from convviz.cli.common import EXIT_OK, MAX_SHOWN_ARGUMENT, UsageError, to_json

ATTACK_METHODS = ("fgsm", "pgd")  # convviz.attack.METHODS, without importing TF
DEFAULT_EPS = "0,0.05,0.1,0.2,0.3"
MAX_EPS_VALUES = 50  # convviz.attack.MAX_EPS_VALUES
MAX_LIMIT = 1_000_000


def add_attack_parser(sub, add_data_dir, default_model: str) -> None:
    attack = sub.add_parser(
        "attack",
        help="how fragile a model is: its test accuracy under adversarial attacks (FGSM, PGD)",
        description="Attack each test image with FGSM (one step of epsilon along the sign of the loss's gradient) "
        "or PGD (10 projected steps of epsilon/4), every pixel moved by at most epsilon and kept in [0, 1], and "
        "print the accuracy left at each epsilon. At epsilon 0 it is evaluate's accuracy.",
    )
    attack.add_argument(
        "--model", metavar="DIR", default=default_model, help="model folder (default: the pretrained cnn)"
    )
    attack.add_argument("--method", default="fgsm", help=f"{' | '.join(ATTACK_METHODS)} (default: %(default)s)")
    attack.add_argument(
        "--eps", default=DEFAULT_EPS, metavar="LIST", help="comma-separated epsilons from 0 to 1 (default: %(default)s)"
    )
    attack.add_argument("--limit", metavar="N", help="attack only the first N test images (default: all)")
    add_data_dir(attack)
    attack.add_argument("--json", action="store_true", help="print one JSON line")


def _shown(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_ARGUMENT else text[: MAX_SHOWN_ARGUMENT - 3] + "..."


def parse_eps(text: str) -> list[float]:
    """``0,0.05,0.1`` as floats in [0, 1], each once, in the given order; a UsageError otherwise."""
    values = []
    parts = text.split(",")
    if len(parts) > MAX_EPS_VALUES:
        raise UsageError(f"--eps takes at most {MAX_EPS_VALUES} values, got {len(parts)}")
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise UsageError(f"--eps values must be numbers from 0 to 1, got {_shown(part.strip())!r}") from None
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise UsageError(f"--eps values must be from 0 to 1, got {_shown(part.strip())}")
        if value not in values:
            values.append(value)
    return values


def _limit(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"--limit must be a whole number of at least 1, got {_shown(text)!r}") from None
    if not 1 <= value <= MAX_LIMIT:
        raise UsageError(f"--limit must be from 1 to {MAX_LIMIT}, got {_shown(text)}")
    return value


def cmd_attack(args) -> int:
    if args.method not in ATTACK_METHODS:
        raise UsageError(f"unknown method {_shown(args.method)!r}; choose one of {', '.join(ATTACK_METHODS)}")
    eps_values = parse_eps(args.eps)
    limit = _limit(args.limit)

    from convviz.cli.common import load_data
    from convviz.explain import Explainer

    with Explainer.load(args.model) as explainer:
        data = load_data(args)
        images, labels = data.test_images[:limit], data.test_labels[:limit]

        from convviz.attack import accuracy_under_attack, eps_key

        accuracy = accuracy_under_attack(explainer, images, labels, eps_values, args.method)
    table = {eps_key(eps): value for eps, value in accuracy.items()}
    if args.json:
        line = {"model": args.model, "arch": explainer.arch, "method": args.method, "test_images": len(labels)}
        line["accuracy"] = table
        print(to_json(line))
    else:
        print(f"{explainer.arch} model {args.model}: {args.method} on {len(labels)} test images")
        for key, value in table.items():
            print(f"  epsilon {key:>6}: accuracy {value:.2%}")
    return EXIT_OK
