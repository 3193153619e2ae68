"""Peak resident memory of real training runs beside the exercise's memory arithmetic.

    PYTHONPATH=. python bench/memory.py                         # 4 networks x batch 64 and 1024, 4096 images
    PYTHONPATH=. python bench/memory.py --archs cnn --batch-sizes 64,256,1024

Each (network, batch size) trains one epoch of numpy batching on the first
``--images`` training images in a fresh ``python -m bench.worker memory`` process,
which reports its resident set (VmRSS / VmHWM from /proc/self/status):

* baseline: after importing TensorFlow and loading MNIST (all 70,000 images,
  ~220 MB of float32: the Trainer gets a view of the first N);
* built: after the graph, the Session and the variable initialisation;
* peak: the high-water mark during the training steps (VmHWM, reset to the
  current RSS just before training; no test evaluation, whose 1000-image
  batches would otherwise set the peak);

and the parent reaps it with ``os.wait4`` for the kernel's ``ru_maxrss`` (the
whole life of the process, loading included). Beside each row:
``convviz.memory.memory_report(arch, batch_size)``'s mini-batch total (data +
activations of one forward pass + weights once, under its RULE). That
arithmetic is a lower bound of one forward pass; training also holds the
gradients, Adam's two slots per weight, TF's per-op temporaries and allocator
caches, so the measured growth is larger: the slope between the batch sizes is
the comparable figure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS_DIR, WorkerError, command_line, log, machine_info, run_worker, write_json
from convviz.config import ARCHITECTURES


def _ints(text: str) -> list[int]:
    return [int(v) for v in text.split(",") if v.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archs", default=",".join(ARCHITECTURES), help="networks (comma-separated, default all)")
    parser.add_argument("--batch-sizes", type=_ints, default=[64, 1024], help="(default 64,1024)")
    parser.add_argument("--images", type=int, default=4096, help="training subset, 1 epoch (default 4096)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "memory.json", help="(default %(default)s)")
    args = parser.parse_args(argv)
    archs = [a.strip() for a in args.archs.split(",") if a.strip()]
    if any(a not in ARCHITECTURES for a in archs):
        parser.error(f"choose networks from {', '.join(ARCHITECTURES)}")
    if any(b > args.images for b in args.batch_sizes):
        parser.error("every batch size must be at most --images")

    from convviz.memory import RULE, memory_report  # pure arithmetic: no TensorFlow here

    payload = {
        "benchmark": "memory",
        "command": command_line(),
        "machine": machine_info(),
        "settings": {"archs": archs, "batch_sizes": args.batch_sizes, "images": args.images, "epochs": 1,
                     "batching": "numpy"},
        "rule": RULE,
        "rows": [],
        "errors": [],
    }
    started = time.perf_counter()
    for arch in archs:
        for batch_size in args.batch_sizes:
            try:
                result = run_worker(["memory", "--arch", arch, "--batch-size", str(batch_size),
                                     "--images", str(args.images)], wait4=True)
            except WorkerError as exc:
                log(f"FAILED {arch} batch {batch_size}: {exc}")
                payload["errors"].append({"arch": arch, "batch_size": batch_size, "error": str(exc)})
                continue
            report = memory_report(arch, batch_size, n_images=60000)
            result.update(
                arithmetic_batch_bytes=report.total_batch_bytes,
                arithmetic_activations_batch_bytes=report.activations_batch_bytes,
                arithmetic_data_batch_bytes=report.data_batch_bytes,
                arithmetic_weights_bytes=report.weights_bytes,
                growth_bytes=result["peak_training_bytes"] - result["rss_baseline_bytes"],
            )
            payload["rows"].append(result)
            log(f"{arch:8s} batch {batch_size:5d}: baseline {result['rss_baseline_bytes'] / 1e6:7.1f} MB, "
                f"built {result['rss_built_bytes'] / 1e6:7.1f} MB, peak {result['peak_training_bytes'] / 1e6:7.1f} MB, "
                f"arithmetic {report.total_batch_bytes / 1e6:7.1f} MB  (total {time.perf_counter() - started:.0f} s)")
            payload["elapsed_seconds"] = round(time.perf_counter() - started, 1)
            write_json(args.out, payload)
    write_json(args.out, payload)
    log(f"wrote {args.out}")
    return 1 if payload["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
