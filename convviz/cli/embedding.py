"""``embedding``: how each layer separates the digits, as a 2-D map and a k-NN accuracy per layer."""

from __future__ import annotations

from convviz.cli.common import EXIT_OK, MAX_SHOWN_ARGUMENT, UsageError, check_outputs, data_inputs, load_data, to_json

EMBEDDING_METHODS = ("pca", "tsne")  # convviz.embedding.METHODS


def _layer_names(values) -> list[str] | None:
    """``--layers conv1 fc1`` or ``--layers conv1,fc1`` -> ['conv1', 'fc1']; None: every layer."""
    if not values:
        return None
    names = [n.strip() for value in values for n in value.split(",") if n.strip()]
    if not names:
        raise UsageError("--layers needs at least one layer name")
    return names


def cmd_embedding(args) -> int:
    if args.method not in EMBEDDING_METHODS:
        shown = args.method[:MAX_SHOWN_ARGUMENT]
        raise UsageError(f"unknown method {shown!r}; choose one of {', '.join(EMBEDDING_METHODS)}")
    layers = _layer_names(args.layers)
    if args.png:
        from convviz.outputs import Output, model_inputs

        check_outputs([Output("--png", args.png)], [*model_inputs(args.model), *data_inputs(args)])

    from convviz import embedding
    from convviz.layerprobe import LayerProbe

    if args.method == "tsne" and not embedding.tsne_available():
        raise UsageError("t-SNE needs scikit-learn, which is not installed here; use --method pca")
    with LayerProbe.load(args.model) as probe:
        layers = embedding.check_layers([embedding.INPUT_LAYER, *probe.layer_names], layers)
        data = load_data(args)
        indices = embedding.stratified_sample(data.test_labels, args.images)
        result = embedding.embedding_of(
            probe, data.test_images[indices], data.test_labels[indices], indices, layers, args.method
        )
    if args.png:
        embedding.embedding_png(result, args.png, title=f"{probe.arch}: {args.method.upper()}")
    if args.json:
        print(to_json({"model": args.model, "arch": probe.arch, **result.to_json(), "png": args.png}))
    else:
        print(f"{probe.arch} model {args.model}: {args.method} maps of {len(indices)} test digits")
        for m in result.maps:
            print(f"  {m.layer:<10} {m.features:>5} numbers per digit   5-NN accuracy in the map {m.knn_accuracy:.1%}")
        if args.png:
            print(f"wrote the maps to {args.png}")
    return EXIT_OK
