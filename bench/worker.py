"""One measurement in a fresh process: ``python -m bench.worker {ours,keras,memory} ...``; prints one JSON line.

Every measurement runs in its own interpreter, for two reasons:

* isolation: no allocator, thread-pool or cache state carries over between runs;
* correctness: ``convviz.tf1`` calls ``tf.disable_v2_behavior()``, which is
  process-wide; Keras imported into the same process would run in TF1 graph
  mode, which is not the peer we compare against (Keras ``model.fit`` in its
  TF 2.15 default mode). The ``keras`` worker never imports ``convviz.tf1``.

``ours``
    the core :class:`convviz.training.Trainer` (any batching strategy) trains
    ``--epochs`` epochs on the first ``--images`` training images; the last
    epoch is measured with the Trainer's own clock (``EpochEvent.seconds``:
    the training loop only, the figure ``main.py train`` prints per epoch), the
    earlier ones are warm-up (first-run graph optimisation, kernel set-up).
    The per-epoch test evaluation is replaced by a no-op in this process: it is
    not timed by the Trainer anyway and would only cost bench time.
``keras``
    ``tf.keras`` ``model.fit`` on the identical network (same layers, padding,
    ReLUs, glorot-uniform kernels, zero biases, Adam lr 1e-3 with TF1's epsilon
    1e-8, sparse softmax cross-entropy on logits, batch accuracy metric), same
    batch size, same images; the last epoch is timed from ``on_epoch_begin`` to
    ``on_epoch_end`` by a callback that needs no per-batch logs.
``memory``
    resident memory of a numpy-batching training run: after importing TF and
    loading MNIST (baseline), after building graph and Session, and the peak
    during training (VmHWM, reset after set-up where the kernel allows it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from convviz.config import ARCHITECTURES

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _rss() -> int:
    return _status_kb("VmRSS") * 1024


def _hwm() -> int:
    return _status_kb("VmHWM") * 1024


def _reset_hwm() -> bool:
    """Reset the peak-RSS counter to the current RSS (Linux >= 4.0, ``clear_refs`` value 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _load_data(images: int):
    from bench.common import data_dir
    from convviz.data import load_mnist

    data = load_mnist(data_dir(), download=False)
    return data.subset(images)


def _set_session_threads(inter: int, intra: int) -> None:
    """Bench experiment only: make every ``tf.Session`` the core opens use these thread pools."""
    from convviz.tf1 import tf

    original = tf.Session

    class Session(original):
        def __init__(self, target="", graph=None, config=None):
            config = config or tf.ConfigProto()
            config.inter_op_parallelism_threads = inter
            config.intra_op_parallelism_threads = intra
            super().__init__(target, graph=graph, config=config)

    tf.Session = Session


def _parse_threads(text: str):
    if not text:
        return None
    inter, intra = (int(v) for v in text.split(","))
    return inter, intra


def cmd_ours(args) -> dict:
    from convviz.config import TrainConfig
    from convviz.tf1 import TF_VERSION
    from convviz.training import BatchEvent, EpochEvent, Trainer

    threads = _parse_threads(args.threads)
    if threads:
        _set_session_threads(*threads)
    data = _load_data(args.images)
    config = TrainConfig(
        arch=args.arch, batching=args.batching, batch_size=args.batch_size, epochs=args.epochs,
        learning_rate=1e-3, optimizer="adam", seed=args.seed, train_limit=args.images,
    )
    started = time.perf_counter()
    trainer = Trainer(config, data)
    build_seconds = time.perf_counter() - started
    trainer._strategy.evaluate = lambda: float("nan")  # bench only: skip the (untimed) test evaluation
    epochs = []
    wall = {}
    step_seconds: list[float] = []  # the last epoch's steps, by the Trainer's clock
    clock = 0.0
    last_batch_end = time.perf_counter()
    run = trainer.run()
    try:
        for event in run:
            if isinstance(event, BatchEvent):
                if event.epoch == args.epochs - 1:
                    step_seconds.append(trainer.train_seconds - clock)
                clock = trainer.train_seconds
                if event.batch == 0:
                    wall[event.epoch] = last_batch_end  # end of the previous epoch's last step (or set-up)
                last_batch_end = time.perf_counter()
                if event.batch == event.batches_per_epoch - 1:
                    wall[event.epoch] = last_batch_end - wall[event.epoch]
            elif isinstance(event, EpochEvent):
                epochs.append(
                    {"seconds": event.seconds, "images_per_second": event.images_per_second,
                     "train_loss": event.train_loss, "wall_seconds": wall.get(event.epoch)}
                )
                last_batch_end = time.perf_counter()
        weights = trainer.weights()
    finally:
        run.close()
        trainer.close()
    last = epochs[-1]
    images = trainer.train_size
    return {
        "runner": args.batching,
        "arch": args.arch,
        "batch_size": args.batch_size,
        "images": images,
        "epochs": len(epochs),
        "params": int(sum(w.size for w in weights.values())),
        "images_per_second": last["images_per_second"],
        "seconds": last["seconds"],
        # wall clock of the last epoch seen from the consumer: includes the generator hand-off per batch
        "wall_images_per_second": images / last["wall_seconds"] if last["wall_seconds"] else None,
        "train_loss": last["train_loss"],
        "epoch_images_per_second": [e["images_per_second"] for e in epochs],
        # the last epoch's first step (it includes a dataset iterator's re-initialisation) and its median step
        "first_step_seconds": step_seconds[0] if step_seconds else None,
        "median_step_seconds": sorted(step_seconds)[len(step_seconds) // 2] if step_seconds else None,
        "build_seconds": round(build_seconds, 3),
        "tensorflow": TF_VERSION,
        "threads": list(threads) if threads else "default (0, 0)",
    }


def keras_model(arch: str):
    """``convviz.netspec``'s network ``arch`` in ``tf.keras`` layers (defaults: glorot-uniform, zero bias)."""
    import tensorflow as tf

    from convviz.netspec import POOL_SIZE, Conv, Dense, Flatten, Pad, Pool, get_spec

    layers = tf.keras.layers
    stack = []
    for layer in get_spec(arch).layers:
        if isinstance(layer, Pad):
            stack.append(layers.ZeroPadding2D(layer.amount, name=layer.name))
        elif isinstance(layer, Conv):
            stack.append(
                layers.Conv2D(layer.filters, layer.size, padding=layer.padding.lower(), activation="relu",
                              name=layer.name)
            )
        elif isinstance(layer, Pool):
            stack.append(layers.MaxPool2D(POOL_SIZE, name=layer.name))
        elif isinstance(layer, Flatten):
            stack.append(layers.Flatten(name=layer.name))
        elif isinstance(layer, Dense):
            stack.append(layers.Dense(layer.units, activation="relu" if layer.relu else None, name=layer.name))
        else:
            raise ValueError(f"no Keras layer for {layer!r}")
    return tf.keras.Sequential([tf.keras.Input((28, 28, 1)), *stack], name=arch)


def cmd_keras(args) -> dict:
    import tensorflow as tf

    threads = _parse_threads(args.threads)
    if threads:
        tf.config.threading.set_inter_op_parallelism_threads(threads[0])
        tf.config.threading.set_intra_op_parallelism_threads(threads[1])
    data = _load_data(args.images)
    x, y = data.train_images, data.train_labels
    tf.keras.utils.set_random_seed(args.seed)
    started = time.perf_counter()
    model = keras_model(args.arch)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3, epsilon=1e-8),  # tf.train.AdamOptimizer's epsilon
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],  # ours fetches a batch accuracy every step too
    )
    build_seconds = time.perf_counter() - started

    class EpochTimer(tf.keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self._supports_tf_logs = True  # no per-batch numpy conversion of the logs on our account
            self.seconds = []
            self.losses = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._start)
            self.losses.append(float(logs["loss"]))

    timer = EpochTimer()
    model.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, shuffle=True, verbose=0, callbacks=[timer])
    images = len(y)
    return {
        "runner": "keras",
        "arch": args.arch,
        "batch_size": args.batch_size,
        "images": images,
        "epochs": len(timer.seconds),
        "params": int(model.count_params()),
        "images_per_second": images / timer.seconds[-1],
        "seconds": timer.seconds[-1],
        "wall_images_per_second": images / timer.seconds[-1],
        "train_loss": timer.losses[-1],
        "epoch_images_per_second": [images / s for s in timer.seconds],
        "build_seconds": round(build_seconds, 3),
        "tensorflow": tf.__version__,
        "keras": __import__("keras").__version__,
        "threads": list(threads) if threads else "default (0, 0)",
        "eager": tf.executing_eagerly(),
    }


def cmd_memory(args) -> dict:
    rss_start = _rss()
    from convviz.config import TrainConfig
    from convviz.tf1 import TF_VERSION
    from convviz.training import BatchEvent, Trainer

    rss_tf = _rss()  # TensorFlow (and the core) imported, no data yet
    data = _load_data(args.images)
    rss_baseline = _rss()  # TF imported, MNIST loaded (all 70,000 images: the subset is a view)
    hwm_loading = _hwm()
    config = TrainConfig(arch=args.arch, batching="numpy", batch_size=args.batch_size, epochs=1,
                         seed=args.seed, train_limit=args.images)
    trainer = Trainer(config, data)
    rss_built = _rss()  # graph built, Session created, variables initialised
    reset = _reset_hwm()
    hwm_after_reset = _hwm()
    batches = 0
    run = trainer.run()
    try:
        for event in run:
            if isinstance(event, BatchEvent):
                batches += 1
                if event.batch == event.batches_per_epoch - 1:
                    break  # no test evaluation: its 1000-image batches would set the peak
    finally:
        run.close()
    hwm_training = _hwm()
    rss_end = _rss()
    trainer.close()
    return {
        "arch": args.arch,
        "batch_size": args.batch_size,
        "images": trainer.train_size,
        "batches": batches,
        "rss_start_bytes": rss_start,
        "rss_tf_bytes": rss_tf,
        "rss_baseline_bytes": rss_baseline,
        "hwm_loading_bytes": hwm_loading,
        "rss_built_bytes": rss_built,
        "hwm_reset": reset,
        "hwm_after_reset_bytes": hwm_after_reset,
        "peak_training_bytes": hwm_training,
        "rss_end_bytes": rss_end,
        "tensorflow": TF_VERSION,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("ours", "keras", "memory"):
        p = sub.add_parser(name)
        p.add_argument("--arch", choices=ARCHITECTURES, required=True)
        p.add_argument("--images", type=int, required=True, help="train on the first N images")
        p.add_argument("--batch-size", type=int, default=64)
        p.add_argument("--seed", type=int, default=0)
        if name != "memory":
            p.add_argument("--epochs", type=int, default=2, help="the last one is measured, the others warm up")
            p.add_argument("--threads", default="", metavar="INTER,INTRA", help="experiment: thread-pool sizes")
        if name == "ours":
            p.add_argument("--batching", choices=("numpy", "dataset", "estimator"), required=True)
    args = parser.parse_args(argv)
    result = {"ours": cmd_ours, "keras": cmd_keras, "memory": cmd_memory}[args.command](args)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
