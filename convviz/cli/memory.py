"""``memory``: the exercise's memory arithmetic, full batch against mini-batch."""

from __future__ import annotations

from convviz.cli.common import EXIT_OK, MAX_SHOWN_ARGUMENT, UsageError, to_json


def cmd_memory(args) -> int:
    from convviz.memory import MAX_IMAGES, format_report, memory_report, report_dict

    if args.images > MAX_IMAGES:
        digits = str(args.images)
        shown = digits if len(digits) <= MAX_SHOWN_ARGUMENT else f"a number of {len(digits)} digits"
        raise UsageError(f"--images must be from 1 to {MAX_IMAGES:,}, got {shown}")
    if args.batch_size > args.images:
        raise UsageError(f"--batch-size {args.batch_size} is larger than the full batch (--images {args.images})")
    report = memory_report(args.arch, args.batch_size, n_images=args.images)
    print(to_json(report_dict(report)) if args.json else format_report(report))
    return EXIT_OK
