"""``explain``: where the network looks, as a saliency map of one image over the digit."""

from __future__ import annotations

from convviz.cli.common import EXIT_OK, MAX_SHOWN_ARGUMENT, UsageError, check_outputs, fit_eval_batch, to_json

OCCLUSION_IMAGES = 101  # the occlusion map's one batch: 100 covered copies of the image and the image itself
# convviz.saliency_methods.METHODS, without importing TF
EXPLAIN_METHODS = ("occlusion", "gradient", "gradient_x_input", "integrated_gradients", "smoothgrad")


def randomised_png(path: str) -> str:
    """Where ``--sanity`` writes the randomised network's map: beside ``path``, ``-randomised`` before the suffix."""
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}-randomised.{suffix}" if dot and "/" not in suffix else f"{path}-randomised.png"


def cmd_explain(args) -> int:
    if args.method not in EXPLAIN_METHODS:
        shown = args.method[:MAX_SHOWN_ARGUMENT]
        raise UsageError(f"unknown method {shown!r}; choose one of {', '.join(EXPLAIN_METHODS)}")
    if not args.png:
        raise UsageError("explain needs --png OUT: the file to write the saliency overlay to")
    from convviz.outputs import Input, Output, model_inputs

    outputs = [Output("--png", args.png)]
    if args.sanity:
        outputs.append(Output("--png (randomised)", randomised_png(args.png)))
    check_outputs(outputs, [Input("the image", args.image), *model_inputs(args.model)])
    cls = None
    if args.cls is not None:
        if args.cls not in tuple("0123456789"):
            raise UsageError(f"--class must be a digit 0 to 9, got {args.cls[:MAX_SHOWN_ARGUMENT]!r}")
        cls = int(args.cls)

    from convviz.preprocess import load_image, to_mnist

    image = to_mnist(load_image(args.image))  # as classify reads it; a bad image is one line

    batch = OCCLUSION_IMAGES if args.method == "occlusion" else 1
    if fit_eval_batch(args.model, batch) < batch:  # the occlusion map is one batch: it cannot be split
        raise UsageError(
            f"the occlusion map runs {batch} images at once, more than the free memory holds for this "
            "network; use --method gradient"
        )

    from convviz.explain import Explainer, saliency_png
    from convviz.saliency_methods import any_saliency, randomised_explainer, sanity_check

    check = None
    with Explainer.load(args.model) as explainer:
        digit, digit_probability = explainer.class_probability(image)
        result = any_saliency(explainer, image, args.method, cls)
        if args.sanity:
            with randomised_explainer(explainer) as randomised:
                check = sanity_check(explainer, randomised, image, args.method, result.cls)
    title = f"{args.method}: {result.cls} ({result.probability:.1%})"
    saliency_png(image, result.map, args.png, title=title)
    if check is not None:
        saliency_png(image, check.randomised, randomised_png(args.png), title=f"{args.method}, random weights")
    if args.json:
        line = {
            "file": args.image,
            "digit": digit,
            "digit_probability": round(digit_probability, 6),
            "method": args.method,
            "class": result.cls,
            "probability": round(result.probability, 6),
            "png": args.png,
        }
        if check is not None:
            line["randomised_png"] = randomised_png(args.png)
            line["randomised_correlation"] = round(check.correlation, 6)
            line["randomised_ink_correlation"] = round(check.ink_correlation, 6)
        print(to_json(line))
    else:
        asked = "" if cls is None else f"; class {result.cls}: {result.probability:.2%}"
        print(f"{args.image}: digit {digit} ({digit_probability:.2%}){asked}; {args.method} map written to {args.png}")
        if check is not None:
            print(
                f"sanity check: rank correlation with randomised weights {check.correlation:.3f} "
                f"(ink pixels only: {check.ink_correlation:.3f}; near 1: the map does not depend on what the "
                f"network learned); their map written to {randomised_png(args.png)}"
            )
    return EXIT_OK
