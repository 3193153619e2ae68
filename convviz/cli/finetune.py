"""``finetune``: a saved model taught the class's handwriting, with a before/after table."""

from __future__ import annotations

import sys
import time

from convviz.cli.common import EXIT_OK, UsageError, check_outputs, data_inputs, load_data, to_json


def cmd_finetune(args) -> int:
    """Fine-tune ``--model`` on MNIST + the class set ``--drawings``; save to ``--save``; before/after table."""
    from convviz.config import SEED_MAX
    from convviz.finetune import MAX_STEPS, FinetuneConfig

    if args.steps is not None and args.steps > MAX_STEPS:
        raise UsageError(f"--steps must be from 1 to {MAX_STEPS}, got {args.steps}")
    if args.seed > SEED_MAX:
        raise UsageError(f"--seed must be from 0 to {SEED_MAX}, got {args.seed}")
    config = FinetuneConfig(seed=args.seed) if args.steps is None else FinetuneConfig(steps=args.steps, seed=args.seed)

    from convviz.classset import load_class_set
    from convviz.model import Model, check_save_target, load_weights
    from convviz.outputs import Output, model_inputs
    from convviz.scores import MIN_HELD_BACK, format_held_back, format_score

    check_outputs([Output("--save", args.save, folder=True)], [*model_inputs(args.model), *data_inputs(args)])
    check_save_target(args.save)  # before the work: a typo must not cost the run
    class_set = load_class_set(args.drawings)
    arch, weights, meta = load_weights(args.model)
    data = load_data(args)
    run_started = time.time()  # a train.log in the --save folder newer than this belongs to this run
    result = _finetune(arch, weights, class_set, data, config, args.quiet)
    meta = dict(meta)
    meta["test_accuracy"] = result.after.mnist_test
    meta["finetuned"] = {**result.summary(), "from": args.model, "drawings_folder": args.drawings}
    with Model(arch, result.weights, meta) as model:
        saved = str(model.save(args.save, run_started=run_started))
    s = result.summary()
    held_by = "whole writers the network was not taught" if s["split"] == "writers" else "drawings of each digit"
    print(
        f"fine-tuned the {arch} model {args.model} on {s['drawings']} drawings ({s['taught']} taught, "
        f"{s['held_back']} held back: {held_by}) and MNIST: {config.steps} steps in {result.train_seconds:.1f} s"
    )
    # every score with its count and 95 % interval; none from fewer than MIN_HELD_BACK held-back drawings
    print("accuracy, before -> after (count, 95 % Wilson interval)")
    for title, index in (("taught drawings", 0), ("held-back drawings", 1), ("MNIST test", 2)):
        shown = []
        for scores in (result.before, result.after):
            right, total = scores.counts[index]
            shown.append(format_held_back(right, total) if index == 1 else format_score(right, total, 2))
        print(f"  {title}: {shown[0]} -> {shown[1]}")
    print(f"saved the model to {saved}", file=sys.stderr)
    if args.json:
        line = {
            "model": args.model,
            "arch": arch,
            "drawings": s["drawings"],
            "taught": s["taught"],
            "held_back": s["held_back"],
            "steps": config.steps,
            "seed": config.seed,
            "mnist_test_accuracy_before": s["before"]["mnist_test"],
            "mnist_test_accuracy_after": s["after"]["mnist_test"],
            "class_set_accuracy_before": s["before"]["class_set"],
            "class_set_accuracy_after": s["after"]["class_set"],
            # null below MIN_HELD_BACK drawings: a score from a handful says nothing
            "held_back_accuracy_before": s["before"]["held_back"] if s["held_back"] >= MIN_HELD_BACK else None,
            "held_back_accuracy_after": s["after"]["held_back"] if s["held_back"] >= MIN_HELD_BACK else None,
            "held_back_split": s["split"],
            "held_back_note": None if s["held_back"] >= MIN_HELD_BACK else format_held_back(0, s["held_back"]),
            "scores_before": s["scores_before"],
            "scores_after": s["scores_after"],
            "train_seconds": s["train_seconds"],
            "seconds": s["seconds"],
            "saved": saved,
        }
        print(to_json(line))
    return EXIT_OK


def _finetune(arch, weights, class_set, data, config, quiet: bool):
    """Run convviz.finetune.finetune with a progress bar on stderr (none with ``quiet``)."""
    from convviz.finetune import finetune

    if quiet:
        return finetune(arch, weights, class_set, data, config)
    from tqdm import tqdm

    bar = tqdm(total=config.steps, desc="measuring before", unit="step", file=sys.stderr, leave=False)
    titles = {"before": "measuring before", "training": "teaching", "after": "measuring after"}

    def progress(event) -> None:
        if event.phase == "training" and event.step:
            bar.update(1)
            if event.step % 20 == 0:
                bar.set_postfix(loss=f"{event.loss:.3f}")
        else:
            bar.set_description(titles.get(event.phase, event.phase))

    try:
        return finetune(arch, weights, class_set, data, config, progress=progress)
    finally:
        bar.close()
