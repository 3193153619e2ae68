"""Investigation: where a training step's time goes, for the input pipelines and thread settings.

    PYTHONPATH=. python bench/probe_input.py --arch dense --rounds 5
    PYTHONPATH=. python bench/probe_input.py --arch cnn --images 4000 --variants feed,elements,indices

Each (round, variant) is a fresh TF1 process (``convviz.tf1``) that builds the
core's network with ``convviz.architectures``, trains one warm-up epoch and
times one full epoch (iterator initialisation included, as in the Trainer);
variants are interleaved round by round in a rotated order and medians are
reported. (Several Sessions with live tf.data iterators in one process slowed
each other down by 2-3x in a first version of this probe: hence one process each.)
The variants:

``feed``
    the core's numpy strategy: ``convviz.data.minibatches`` + ``feed_dict``;
``elements``
    the core's dataset strategy: ``from_tensor_slices((x, y)).shuffle(n).batch(b)``,
    shuffling and batching one image at a time;
``elements-pwd``
    the same, with the images passed through ``tf.placeholder_with_default`` as
    the core does (so that any image can be fed for the activation views);
``indices``
    a proposed dataset strategy: ``Dataset.range(n).shuffle(n).batch(b)`` of
    *indices*, then one ``tf.gather`` per batch from the arrays (fed once to
    placeholders at initialisation, as now), which is what Keras does with
    numpy input;
``*-p0``, ``*-auto``
    the same without ``prefetch(1)`` (the pipeline then runs inside
    ``IteratorGetNext``, in the step's own thread) / with ``prefetch(AUTOTUNE)``;
``elements-noopt``, ``elements-noautotune``
    the core's pipeline with ``tf.data.Options`` switching off the default
    static optimisations and autotuning / autotuning only;
``feed-t1``, ``feed-i1``
    the numpy strategy with ``inter_op_parallelism_threads`` 1 / with
    ``intra_op_parallelism_threads`` 1 (the default is 0: one per core for both).

Nothing here changes the core; it measures what a change would buy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `convviz` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import child_env, data_dir, median
from convviz.config import ARCHITECTURES

VARIANTS = ("feed", "elements", "elements-pwd", "elements-p0", "elements-auto", "elements-noopt",
            "elements-noautotune", "indices",
            "indices-p0", "feed-t1", "feed-i1")


def build(arch: str, variant: str, batch_size: int):
    """Graph, session, train fetches and an epoch-runner for one input variant."""
    import numpy as np

    from convviz import architectures as arch_lib
    from convviz.config import TrainConfig
    from convviz.constants import IMAGE_SIZE
    from convviz.data import minibatches
    from convviz.tf1 import tf

    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        if variant.startswith("feed"):
            images = arch_lib.input_placeholder()
            labels = tf.placeholder(tf.int64, [None])
        else:
            x = tf.placeholder(tf.float32, [None, IMAGE_SIZE, IMAGE_SIZE, 1])
            y = tf.placeholder(tf.int64, [None])
            seed = tf.placeholder(tf.int64, [])
            n = tf.shape(y, out_type=tf.int64)[0]
            if variant.startswith("elements"):
                ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(n, seed=seed).batch(batch_size)
            else:  # indices: shuffle the index vector, gather whole batches
                ds = tf.data.Dataset.range(n).shuffle(n, seed=seed).batch(batch_size)
                ds = ds.map(lambda idx: (tf.gather(x, idx), tf.gather(y, idx)))
            if variant.endswith("-p0"):
                pass  # no prefetch: get_next runs the pipeline in the step's own thread
            elif variant.endswith("-auto"):
                ds = ds.prefetch(tf.data.experimental.AUTOTUNE)
            else:
                ds = ds.prefetch(1)  # the core's choice
            if variant.endswith(("-noopt", "-noautotune")):  # no autotuning model (and no static rewrites)
                options = tf.data.Options()
                options.autotune.enabled = False
                if variant.endswith("-noopt"):
                    options.experimental_optimization.apply_default_optimizations = False
                ds = ds.with_options(options)
            iterator = tf.data.make_initializable_iterator(ds)
            images, labels = iterator.get_next()
            if variant == "elements-pwd":  # exactly the core's graph: a feedable image input
                images = tf.placeholder_with_default(images, [None, IMAGE_SIZE, IMAGE_SIZE, 1])
        logits = arch_lib.inference(arch, images).logits
        loss = arch_lib.loss(logits, labels)
        acc = arch_lib.batch_accuracy(logits, labels)
        step = tf.train.get_or_create_global_step()
        train = arch_lib.training(loss, TrainConfig(arch=arch, batch_size=batch_size), step)
        init = tf.global_variables_initializer()
    config = tf.ConfigProto()
    if variant == "feed-t1":
        config.inter_op_parallelism_threads = 1
    if variant == "feed-i1":
        config.intra_op_parallelism_threads = 1
    session = tf.Session(graph=graph, config=config)
    session.run(init)
    fetches = [train, loss, acc]

    def epoch(train_x, train_y, number: int, steps: list | None = None) -> float:
        """Seconds for one epoch; ``steps`` collects each step's seconds (batch preparation included)."""
        start = time.perf_counter()
        mark = start
        if variant.startswith("feed"):
            rng = np.random.RandomState([0, number])
            for bx, by in minibatches(train_x, train_y, batch_size, rng):
                session.run(fetches, {images: bx, labels: by})
                if steps is not None:
                    steps.append(time.perf_counter() - mark)
                    mark = time.perf_counter()
        else:
            session.run(iterator.initializer, {x: train_x, y: train_y, seed: number})
            if steps is not None:
                steps.append(time.perf_counter() - mark)  # step 0: the iterator initialisation
                mark = time.perf_counter()
            while True:
                try:
                    session.run(fetches)
                except tf.errors.OutOfRangeError:
                    break
                if steps is not None:
                    steps.append(time.perf_counter() - mark)
                    mark = time.perf_counter()
        return time.perf_counter() - start

    return session, epoch


def child(args) -> int:
    from convviz.data import load_mnist

    data = load_mnist(data_dir()).subset(args.images)
    x, y = data.train_images, data.train_labels
    session, epoch = build(args.arch, args.child, args.batch_size)
    epoch(x, y, 0)  # warm-up: first-run graph optimisation, caches
    steps: list[float] = []
    seconds = epoch(x, y, 1, steps)
    session.close()
    ordered = sorted(steps)
    print(json.dumps({"variant": args.child, "images": len(y), "seconds": seconds,
                      "step_ms_median": 1000 * median(steps), "step_ms_p90": 1000 * ordered[int(0.9 * len(ordered))],
                      "step_ms_max": 1000 * ordered[-1], "first_step_ms": 1000 * steps[0]}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="dense", choices=ARCHITECTURES)
    parser.add_argument("--images", type=int, default=30000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    variants = [v for v in args.variants.split(",") if v]
    times: dict[str, list[float]] = {v: [] for v in variants}
    images = 0
    for r in range(args.rounds):
        order = variants[r % len(variants):] + variants[: r % len(variants)]
        for v in order:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", v, "--arch", args.arch,
                   "--images", str(args.images), "--batch-size", str(args.batch_size)]
            out = subprocess.run(cmd, env=child_env(), capture_output=True, text=True, check=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            images = result["images"]
            times[v].append(result["seconds"])
            print(f"round {r + 1} {v:13s} {images / result['seconds']:9.0f} images/s; step ms median "
                  f"{result['step_ms_median']:.2f} p90 {result['step_ms_p90']:.2f} max {result['step_ms_max']:.1f} "
                  f"first {result['first_step_ms']:.1f}", file=sys.stderr)
    steps = -(-images // args.batch_size)
    result = {"arch": args.arch, "images": images, "batch_size": args.batch_size, "rounds": args.rounds,
              "images_per_second": {v: images / median(t) for v, t in times.items()},
              "ms_per_step": {v: 1000 * median(t) / steps for v, t in times.items()},
              "seconds": times}
    base = result["images_per_second"].get("feed")
    for v in variants:
        rel = f"  ({result['images_per_second'][v] / base:.2f}x feed)" if base else ""
        print(f"{args.arch:8s} {v:12s} {result['images_per_second'][v]:9.0f} images/s  "
              f"{result['ms_per_step'][v]:6.2f} ms/step{rel}", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
