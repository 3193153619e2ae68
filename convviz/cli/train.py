"""``train``: a network trained on MNIST, with progress, an optional saved model and an optional record."""

from __future__ import annotations

import sys
import time

from convviz.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    UsageError,
    check_outputs,
    data_inputs,
    load_data,
    note,
    one_line,
    to_json,
)
from convviz.config import TrainConfig
from convviz.netspec import arch_name


def cmd_train(args) -> int:
    lr = args.lr if args.lr is not None else (1e-3 if args.optimizer == "adam" else 0.05)
    config = TrainConfig(
        arch=arch_name(args.arch),  # a spec string in its canonical spelling: the name model.json keeps
        batching=args.batching,
        batch_size=args.batch_size,
        epochs=args.epochs,
        optimizer=args.optimizer,
        learning_rate=lr,
        momentum=args.momentum,
        lr_decay=args.lr_decay,
        seed=args.seed,
        train_limit=args.train_limit,
        eval_batch_size=args.eval_batch_size,
        augment=args.augment,
        forms=args.forms,
    ).validate()
    from convviz.outputs import Output

    outputs = [Output("--save", args.save, folder=True), Output("--record", args.record)]
    check_outputs(outputs, data_inputs(args))  # the record over the saved model's weights lost the model
    from convviz.memory import fit_config

    config, memory_note = fit_config(config)  # never a run whose activations outgrow the machine
    if memory_note:
        note(memory_note)
    if args.save:
        from convviz.model import check_save_target

        check_save_target(args.save)  # before the run, not after it: a typo must not cost the training
    if args.record:
        from convviz.recording import check_record_target

        check_record_target(args.record)
    data = load_data(args)

    from convviz.training import TrainingError

    try:
        result = _train(config, data, args)
    except TrainingError as exc:  # the input was fine, the run was not: exit 1, not 2
        print(f"convviz: {one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        print(to_json(result))
    return EXIT_OK


def _train(config: TrainConfig, data, args) -> dict:
    """Train with progress on stderr and one line per epoch on stdout; the results for ``--json``."""
    from tqdm import tqdm

    from convviz.events import EpochReport, LossChunk, Progress
    from convviz.run import RunSession

    out = sys.stdout
    started = time.perf_counter()
    run_started = time.time()  # a train.log in the --save folder newer than this belongs to this run
    # A bad --record-probe stops here, before training; without --record the run keeps no timeline.
    session = RunSession(
        config,
        data,
        clock=time.perf_counter,
        timeline=bool(args.record),
        probe_index=args.record_probe if args.record else 0,
        snapshots=False,
        timeline_budget=None,
        keep_weights=not args.record_no_weights,
    )
    with session:
        trainer = session.build()
        print(
            f"training {config.arch} with {config.batching} batching on {trainer.train_size} images, "
            f"batch size {config.batch_size}, {config.optimizer} lr {config.learning_rate:g}"
            f"{', augmented' if config.augment else ''}{', continental forms' if config.forms else ''}",
            file=sys.stderr,
        )
        bar, loss = None, None
        for event in session:
            if isinstance(event, LossChunk):
                loss = float(event.losses[-1])
            elif isinstance(event, Progress):
                if bar is None and not args.quiet:
                    bar = tqdm(
                        total=trainer.batches_per_epoch,
                        desc=f"epoch {event.epoch + 1}/{config.epochs}",
                        unit="batch",
                        file=sys.stderr,
                        leave=False,
                    )
                if bar is not None:
                    bar.update(event.done - event.epoch * trainer.batches_per_epoch - bar.n)
                    bar.set_postfix(loss=f"{loss:.3f}")
            elif isinstance(event, EpochReport):
                if bar is not None:
                    bar.close()
                    bar = None
                print(
                    f"epoch {event.epoch + 1}/{config.epochs}: train loss {event.train_loss:.4f}, "
                    f"test accuracy {event.test_accuracy:.2%}, {event.images_per_second:.0f} images/s",
                    file=out,
                    flush=True,
                )
        if bar is not None:
            bar.close()
        if session.exception is not None:
            raise session.exception
        saved = None
        if args.save:
            from convviz.model import Model

            with Model(config.arch, trainer.weights()) as model:
                try:
                    saved = str(model.save(args.save, trainer.metadata(), run_started=run_started))
                except OSError as exc:  # permissions, a full disk: the folder the user named
                    raise UsageError(f"cannot save the model in {args.save}: {exc.strerror or exc}") from None
            print(f"saved model to {saved}", file=sys.stderr)
        if args.record:
            from convviz.recording import save_record

            if session.record is None:
                raise UsageError(f"the run has no valid record to write to {args.record}")
            save_record(session.record, args.record)
            frames = session.record.timeline
            print(
                f"recorded the run to {args.record} ({0 if frames is None else len(frames)} snapshots, "
                f"{session.frame_seconds:.1f} s to take them)",
                file=sys.stderr,
            )
        result = {
            "arch": config.arch,
            "batching": config.batching,
            "batch_size": config.batch_size,
            "epochs": len(trainer.history),
            "optimizer": config.optimizer,
            "learning_rate": config.learning_rate,
            "lr_decay": config.lr_decay,
            "seed": config.seed,
            "augment": config.augment,
            "forms": config.forms,
            "train_images": trainer.images_trained,
            "train_size": trainer.train_size,
            "seconds": round(trainer.train_seconds, 3),
            "images_per_second": round(trainer.images_per_second, 1),
            "total_seconds": round(time.perf_counter() - started, 3),
            "test_accuracy": trainer.test_accuracy,
            "test_accuracy_per_epoch": [e.test_accuracy for e in trainer.history],
            "final_train_loss": trainer.history[-1].train_loss if trainer.history else trainer.last_loss,
            "saved": saved,
        }
        if args.record:
            result["recorded"] = args.record
    return result
