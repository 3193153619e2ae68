"""``sweep``: one network at several batch sizes on the same seed; steps, examples and seconds to a target."""

from __future__ import annotations

import math
import sys

from convviz.cli.common import EXIT_OK, UsageError, check_outputs, data_inputs, load_data, to_json

PNG_SIZE = (1200, 440)
MARGIN = 40


def _line(run) -> str:
    def num(v, fmt):
        return "-" if v is None else format(v, fmt)

    return (
        f"B={run.batch_size:>6}  lr={run.learning_rate:.3g}  steps={num(run.steps_to_target, 'd'):>6}  "
        f"examples={num(run.examples_to_target, 'd'):>7}  seconds={num(run.seconds_to_target, '.2f'):>6}  "
        f"img/s={run.images_per_second:8.0f}  mem pred={run.memory_predicted_bytes / 1e6:7.1f} MB  "
        f"measured={num(None if run.memory_measured_bytes is None else run.memory_measured_bytes / 1e6, '.1f'):>7} MB  "
        f"cos={num(run.gradient_cosine, '.2f')}"
    )


def _panel(draw, box, result, attribute: str, title: str) -> None:
    """One log-log panel: ``attribute`` (steps, examples or seconds to the target) against B, in ``box``."""
    left, top, right, bottom = box
    draw.rectangle([left, top, right, bottom], outline="black")
    draw.text((left, top - 18), title, fill="black")
    sizes = [r.batch_size for r in result.runs]
    points = [(r.batch_size, float(getattr(r, attribute))) for r in result.runs if getattr(r, attribute)]
    lo_b, hi_b = math.log2(min(sizes)) - 0.5, math.log2(max(sizes)) + 0.5
    values = [v for _, v in points] or [1.0]
    lo_v, hi_v = math.log2(min(values) / 4), math.log2(max(values) * 4)

    def xy(b, v):
        x = left + (math.log2(b) - lo_b) / (hi_b - lo_b) * (right - left)
        y = bottom - (math.log2(v) - lo_v) / max(hi_v - lo_v, 1e-9) * (bottom - top)
        return x, y

    for b in sizes:
        draw.text((xy(b, 2**lo_v)[0] - 10, bottom + 6), str(b), fill="black")
    if not points:
        draw.text((left + 10, top + 10), "target not reached", fill="black")
        return
    b0, v0 = points[0]
    if attribute == "steps_to_target":  # perfect scaling: doubling B halves the steps
        ideal = [xy(b, v0 * b0 / b) for b in sizes if b >= b0 and v0 * b0 / b >= 2**lo_v]
    elif attribute == "examples_to_target":  # ... so the images stay the same
        ideal = [xy(b, v0) for b in sizes if b >= b0]
    else:  # seconds: a step's time grows with B as the machine allows: no ideal line
        ideal = []
    if len(ideal) > 1:
        draw.line(ideal, fill=(150, 150, 150), width=1)
        draw.text((ideal[-1][0] - 95, ideal[-1][1] + 4), "perfect scaling", fill=(120, 120, 120))
    if len(points) > 1:
        draw.line([xy(b, v) for b, v in points], fill=(31, 119, 180), width=2)
    for b, v in points:
        x, y = xy(b, v)
        draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(31, 119, 180))
        draw.text((x + 7, y - 14), f"{v:.3g}", fill="black")  # the value itself: the axis has no ticks


def write_png(result, path: str) -> None:
    """Steps, images and seconds to the target against B, log-log, each with its perfect-scaling line."""
    from PIL import Image, ImageDraw

    w, h = PNG_SIZE
    image = Image.new("RGB", PNG_SIZE, "white")
    draw = ImageDraw.Draw(image)
    p = result.plan
    draw.text(
        (10, 8),
        f"to {p.target:.0%} test accuracy against batch size (log-log): {p.arch}, lr {p.lr_policy}",
        fill="black",
    )
    width = (w - 4 * MARGIN) // 3
    for i, (attribute, title) in enumerate(
        (("steps_to_target", "steps"), ("examples_to_target", "images"), ("seconds_to_target", "seconds"))
    ):
        left = MARGIN + i * (width + MARGIN)
        _panel(draw, (left, MARGIN + 20, left + width, h - MARGIN), result, attribute, title)
    from convviz.atomicfile import write_atomically

    write_atomically(path, lambda f: image.save(f, format="PNG"), f"cannot write {path}")


def cmd_sweep(args) -> int:
    from convviz.sweep import SweepSession
    from convviz.sweepplan import SweepDone, SweepPlan, parse_batch_sizes

    if args.png:
        from convviz.outputs import Output

        check_outputs([Output("--png", args.png)], data_inputs(args))
    plan = SweepPlan(
        arch=args.arch,
        batch_sizes=parse_batch_sizes(args.batch_sizes),
        target=args.target,
        max_examples=args.max_examples,
        lr_policy=args.lr_policy,
        learning_rate=args.lr,
        optimizer=args.optimizer,
        batching=args.batching,
        seed=args.seed,
        train_limit=args.train_limit,
        eval_images=args.eval_images,
        noise=not args.no_noise,
    ).validate()
    if args.train_limit is not None and args.train_limit < 1:
        raise UsageError(f"--train-limit must be at least 1, got {args.train_limit}")
    data = load_data(args)
    result = None
    for event in SweepSession(plan, data):
        if isinstance(event, SweepDone):
            result = event.result
    if args.png:
        write_png(result, args.png)
    if args.json:
        print(to_json(result.to_dict()))
        return EXIT_OK
    for run in result.runs:
        print(_line(run))
    knee = result.knee
    print(f"images/s knee: B={knee}" if knee else "images/s knee: -")
    for label, reading in result.readings:
        b = f"{reading.b_simple:.1f}" if math.isfinite(reading.b_simple) else "not finite"
        print(f"noise scale B_simple ({label}, step {reading.step}): {b}")
    fits = (
        "fits"
        if result.available_bytes is None or result.full_batch_bytes <= result.available_bytes
        else "does not fit"
    )
    print(f"full batch (60000): {result.full_batch_bytes / 1e6:.1f} MB predicted, {fits}", file=sys.stdout)
    return EXIT_OK
