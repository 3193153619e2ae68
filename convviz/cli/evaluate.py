"""``evaluate`` and ``classify``: a saved model's test accuracy, confusion and mistakes; its digits for image files."""

from __future__ import annotations

import sys

from convviz.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    MAX_SHOWN_ARGUMENT,
    UsageError,
    check_outputs,
    data_inputs,
    fit_eval_batch,
    load_data,
    one_line,
    to_json,
)

MAX_ERRORS = 500  # evaluate --errors N: at most this many tiles (convviz.explain.MAX_SHEET)
EVAL_BATCH = 1000  # test images per forward pass, unless the free memory holds fewer


def _count_argument(text: str | None, option: str, maximum: int) -> int | None:
    """``text`` as a whole number from 1 to ``maximum``, or a one-line UsageError naming ``option``."""
    if text is None:
        return None
    shown = text if len(text) <= MAX_SHOWN_ARGUMENT else text[: MAX_SHOWN_ARGUMENT - 3] + "..."
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"{option} must be a whole number from 1 to {maximum}, got {shown!r}") from None
    if not 1 <= value <= maximum:
        raise UsageError(f"{option} must be from 1 to {maximum}, got {shown}")
    return value


def cmd_evaluate(args) -> int:
    errors = _count_argument(args.errors, "--errors", MAX_ERRORS)
    if errors is not None and not args.errors_png:
        raise UsageError("--errors N needs --errors-png FILE: where to write the sheet")
    if args.errors_png and errors is None:
        raise UsageError("--errors-png FILE needs --errors N: how many mistakes to show")
    if args.errors_png:
        from convviz.outputs import Output, model_inputs

        check_outputs([Output("--errors-png", args.errors_png)], [*model_inputs(args.model), *data_inputs(args)])

    import numpy as np

    from convviz.model import Model

    batch = fit_eval_batch(args.model, EVAL_BATCH)
    with Model.load(args.model) as model:
        data = load_data(args)
        table = None
        if args.confusion or errors is not None:
            from convviz.explain import confusion

            table = confusion(model, data.test_images, data.test_labels, batch_size=batch)
            accuracy = table.accuracy
        else:
            predicted = model.predict_proba(data.test_images, batch_size=batch).argmax(axis=1)
            accuracy = float(np.mean(predicted == np.asarray(data.test_labels)))
    result = {"model": args.model, "arch": model.arch, "test_images": len(data.test_labels), "test_accuracy": accuracy}
    lines = [f"{model.arch} model {args.model}: test accuracy {accuracy:.2%} on {len(data.test_labels)} images"]
    if args.confusion:
        result["confusion"] = table.matrix.tolist()
        result["per_class_accuracy"] = [None if v != v else round(float(v), 6) for v in table.per_class_accuracy]
        lines.append(format_confusion(table.matrix, table.per_class_accuracy))
    if errors is not None:
        from convviz.explain import mistakes_sheet

        wrong = table.mistakes()
        shown = wrong[:errors]
        result["mistakes"] = len(wrong)
        result["errors_shown"] = len(shown)
        result["errors_png"] = None
        if len(shown):
            mistakes_sheet(
                data.test_images, shown, table.labels, table.predictions, table.probabilities, args.errors_png
            )
            result["errors_png"] = args.errors_png
            lines.append(
                f"wrote the {len(shown)} most confident of {len(wrong)} mistakes to {args.errors_png} "
                "(index true->predicted confidence)"
            )
        else:
            lines.append(f"no mistakes: nothing written to {args.errors_png}")
    print(to_json(result) if args.json else "\n".join(lines))
    return EXIT_OK


def format_confusion(matrix, per_class) -> str:
    """The confusion matrix as text: rows the true digit, columns the prediction, each row's accuracy last."""
    width = max(5, len(str(int(matrix.max()))) + 1)
    head = "true\\pred" + "".join(f"{d:>{width}}" for d in range(len(matrix))) + "  accuracy"
    lines = ["confusion matrix: rows = true digit, columns = predicted digit", head]
    for digit, row in enumerate(matrix):
        share = "-" if per_class[digit] != per_class[digit] else f"{per_class[digit]:.2%}"
        lines.append(f"{digit:>9}" + "".join(f"{int(v):>{width}}" for v in row) + f"  {share:>8}")
    return "\n".join(lines)


def cmd_classify(args) -> int:
    """One JSON line per readable image on stdout, one error line per bad one on stderr.

    Every file is reported, in order; the exit status is 2 if any failed.
    """
    from convviz.model import Model
    from convviz.preprocess import PreprocessError, load_image, to_mnist

    failed = 0
    with Model.load(args.model) as model:  # a bad model is one error for all files
        for path in args.images:
            try:
                image = to_mnist(load_image(path))
            except PreprocessError as exc:
                message = one_line(exc)
                if path not in message:  # "the image is empty" does not say which one
                    message = f"{path}: {message}"
                print(f"convviz: error: {message}", file=sys.stderr, flush=True)
                failed += 1
                continue
            p = model.predict_proba(image)[0]
            line = {"file": path, "digit": int(p.argmax()), "probabilities": [round(float(v), 6) for v in p]}
            print(to_json(line), flush=True)
    return EXIT_USAGE if failed else EXIT_OK
