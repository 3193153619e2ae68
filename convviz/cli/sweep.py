"""``sweep``: one network at several batch sizes on the same seed; steps, examples and seconds to a target."""

from __future__ import annotations

import math
import sys

from convviz.cli.common import EXIT_OK, UsageError, check_png_target, load_data, to_json

PNG_SIZE = (640, 480)
MARGIN = 60


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


def write_png(result, path: str) -> None:
    """Steps to the target against B, log-log, with the perfect-scaling line (doubling B halves the steps)."""
    from PIL import Image, ImageDraw

    w, h = PNG_SIZE
    image = Image.new("RGB", PNG_SIZE, "white")
    draw = ImageDraw.Draw(image)
    points = [(r.batch_size, r.steps_to_target) for r in result.runs if r.steps_to_target]
    sizes = [r.batch_size for r in result.runs]
    lo_b, hi_b = math.log2(min(sizes)) - 0.5, math.log2(max(sizes)) + 0.5
    steps = [s for _, s in points] or [1]
    lo_s, hi_s = math.log2(max(min(steps) / 4, 1)), math.log2(max(steps) * 4)

    def xy(b, s):
        x = MARGIN + (math.log2(b) - lo_b) / (hi_b - lo_b) * (w - 2 * MARGIN)
        y = h - MARGIN - (math.log2(s) - lo_s) / max(hi_s - lo_s, 1e-9) * (h - 2 * MARGIN)
        return x, y

    draw.rectangle([MARGIN, MARGIN, w - MARGIN, h - MARGIN], outline="black")
    for b in sizes:
        x, _ = xy(b, 2**lo_s)
        draw.text((x - 10, h - MARGIN + 8), str(b), fill="black")
    draw.text((w // 2 - 60, h - 25), "batch size (log)", fill="black")
    draw.text(
        (8, 10),
        f"steps to {result.plan.target:.0%} (log), {result.plan.arch}, lr {result.plan.lr_policy}",
        fill="black",
    )
    if points:
        b0, s0 = points[0]
        ideal = [xy(b, s0 * b0 / b) for b in sizes if s0 * b0 / b >= 2**lo_s]
        if len(ideal) > 1:
            draw.line(ideal, fill=(150, 150, 150), width=1)
            draw.text((ideal[-1][0] - 120, ideal[-1][1] + 4), "perfect scaling", fill=(120, 120, 120))
        draw.line([xy(b, s) for b, s in points], fill=(31, 119, 180), width=2) if len(points) > 1 else None
        for b, s in points:
            x, y = xy(b, s)
            draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(31, 119, 180))
    else:
        draw.text((MARGIN + 10, MARGIN + 10), "no batch size reached the target", fill="black")
    image.save(path, format="PNG")


def cmd_sweep(args) -> int:
    from convviz.sweep import SweepSession
    from convviz.sweepplan import SweepDone, SweepPlan, parse_batch_sizes

    if args.png:
        check_png_target(args.png, "--png")
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
