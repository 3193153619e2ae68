"""What ``convviz.watch`` costs a student's training step: the template's loop with and without ``w.step``.

    PYTHONPATH=. python bench/watch_overhead.py [--rounds 8] [--steps 40] [--batch 64]

The seed's template network (``tf.layers.conv2d`` twice, dense, Adam) in a
plain Session loop over numpy batches, timed in blocks of ``--steps`` steps:
a plain block, then a watched block (``w.step(loss, session=sess)`` streaming to
a headless ``listen`` in its own process, as a window would be), alternating for
``--rounds`` rounds in one process, so that both see the same machine. It
prints the median step time of each and the overhead; exit status 1 when the
overhead is over 5 % (the goal). The watched blocks include the kernel and
feature-map fetches, which the client keeps within its 5 % budget.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.05


def start_listen() -> tuple:
    proc = subprocess.Popen(
        [sys.executable, "main.py", "listen", "--headless", "--json", "--port", "0", "--streams", "1"],
        cwd=str(ROOT),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    for line in proc.stderr:
        found = re.search(r"127\.0\.0\.1:(\d+) with token (\S+)", line)
        if found:
            return proc, int(found.group(1)), found.group(2)
    raise SystemExit("listen did not start")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import warnings

    warnings.filterwarnings("ignore", message="`tf.layers")  # the template's own layers, on purpose
    import numpy as np
    import tensorflow

    from convviz import watch

    tf = tensorflow.compat.v1
    tf.disable_v2_behavior()
    tensorflow.get_logger().setLevel("ERROR")
    rng = np.random.RandomState(0)
    images = rng.rand(args.batch * 8, 784).astype(np.float32)
    labels = rng.randint(0, 10, args.batch * 8)

    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int64, [None])
        net = tf.reshape(x, [-1, 28, 28, 1])
        net = tf.layers.max_pooling2d(tf.layers.conv2d(net, 32, 5, padding="same", activation=tf.nn.relu), 2, 2)
        net = tf.layers.max_pooling2d(tf.layers.conv2d(net, 64, 5, padding="same", activation=tf.nn.relu), 2, 2)
        net = tf.layers.dense(tf.reshape(net, [-1, 7 * 7 * 64]), 256, activation=tf.nn.relu)
        loss = tf.losses.sparse_softmax_cross_entropy(y, tf.layers.dense(net, 10))
        train = tf.train.AdamOptimizer(1e-3).minimize(loss)
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())

    listen, port, token = start_listen()
    w = watch.connect(port=port, token=token, name="bench")
    plain, watched = [], []
    step = 0

    def block(into: list, watching: bool) -> None:
        nonlocal step
        for _ in range(args.steps):
            i = step % 8
            feed = {x: images[i * args.batch : (i + 1) * args.batch], y: labels[i * args.batch : (i + 1) * args.batch]}
            begun = time.perf_counter()
            _, value = sess.run([train, loss], feed)
            if watching:
                w.step(value, session=sess)
            into.append(time.perf_counter() - begun)
            step += 1

    try:
        block([], False)  # warm-up: the first steps allocate
        block([], True)
        for _ in range(args.rounds):
            block(plain, False)
            block(watched, True)
        w.close()
        listen.wait(timeout=30)
    finally:
        if listen.poll() is None:
            listen.kill()
        sess.close()
    a, b = statistics.median(plain), statistics.median(watched)
    mean_a, mean_b = statistics.mean(plain), statistics.mean(watched)
    overhead = (mean_b - mean_a) / mean_a
    print(f"plain step:   median {a * 1000:.2f} ms, mean {mean_a * 1000:.2f} ms ({len(plain)} steps)")
    print(f"watched step: median {b * 1000:.2f} ms, mean {mean_b * 1000:.2f} ms ({len(watched)} steps)")
    print(f"overhead (means, fetches included): {overhead * 100:+.1f} % (goal: at most {GOAL * 100:.0f} %)")
    print(f"stream: {w.steps} steps sent, {w.dropped} messages dropped, failed: {w.failed}")
    return 0 if overhead <= GOAL and w.failed is None else 1


if __name__ == "__main__":
    raise SystemExit(main())
