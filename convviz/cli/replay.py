"""``replay``: a recorded run checked and summed up; its filter timeline as a GIF."""

from __future__ import annotations

from convviz.cli.common import EXIT_OK, UsageError, check_outputs, to_json


def cmd_replay(args) -> int:
    from convviz.outputs import Input, Output
    from convviz.recording import filters_gif, load_record
    from convviz.recording.gif import MAX_FPS, MIN_FPS

    if not MIN_FPS <= args.fps <= MAX_FPS:  # a GIF frame's delay has 16 bits; NaN fails this too
        raise UsageError(f"--fps must be from {MIN_FPS:g} to {MAX_FPS:g} frames per second, got {args.fps:g}")
    if args.gif:
        check_outputs([Output("--gif", args.gif)], [Input("the record", args.record)])
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
        print(to_json(summary))
    else:
        accuracy = "-" if o.test_accuracy is None else f"{o.test_accuracy:.2%}"
        print(
            f"{args.record}: {record.arch}, {o.status} after {o.steps} steps ({len(record.epochs)} epochs), "
            f"test accuracy {accuracy}, {o.images_per_second:.0f} images/s, {summary['frames']} snapshots"
            + (f"; filter timeline written to {args.gif}" if args.gif else "")
        )
    return EXIT_OK
