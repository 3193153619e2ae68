"""``classset merge OUT IN...``: many students' class sets into one, writers kept, bad files named."""

from __future__ import annotations

import sys

from convviz.cli.common import EXIT_OK, UsageError, to_json

MAX_INPUTS = 200  # folders on one command line (convviz.classmerge.MAX_SOURCES)


def cmd_classset(args) -> int:
    """Merge the class sets ``args.inputs`` into ``args.out``; one line per file left out, on stderr."""
    from convviz.classmerge import MAX_SOURCES, merge_class_sets

    if len(args.inputs) > min(MAX_INPUTS, MAX_SOURCES):
        raise UsageError(f"at most {min(MAX_INPUTS, MAX_SOURCES)} class sets in one merge, got {len(args.inputs)}")
    result = merge_class_sets(args.inputs, args.out)
    for line in result.problems:
        print(f"convviz: left out: {line}", file=sys.stderr)
    if result.skipped > len(result.problems):
        print(f"convviz: and {result.skipped - len(result.problems)} more files left out", file=sys.stderr)
    if result.added == 0:
        raise UsageError(f"nothing merged into {args.out}: no readable drawing in {', '.join(args.inputs)[:200]}")
    writers = ", ".join(f"{w} ({n})" for w, n in sorted(result.writers.items()))
    print(f"merged {result.added} drawings by {len(result.writers)} writers into {args.out}: {writers}")
    if args.json:
        print(to_json({"out": args.out, "added": result.added, "writers": result.writers,
                       "left_out": result.skipped, "problems": list(result.problems)}))  # fmt: skip
    return EXIT_OK
