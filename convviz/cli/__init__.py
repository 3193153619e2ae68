"""Command line: ``python main.py [gui|train|evaluate|classify|explain|finetune|replay|memory|listen|attack]``.

Every subcommand turns its arguments into the core's dataclasses and calls the
core; nothing here knows TensorFlow. A :class:`~convviz.errors.ConvVizError`
(bad input) ends with one line on stderr and exit status 2, never a traceback;
any other exception is a bug in ConvViz and ends with a short traceback and
exit status 1.
"""

from __future__ import annotations

import logging
import sys
import traceback

from convviz.cli.attack import cmd_attack
from convviz.cli.classset import cmd_classset
from convviz.cli.common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, one_line
from convviz.cli.embedding import cmd_embedding
from convviz.cli.evaluate import cmd_classify, cmd_evaluate
from convviz.cli.explain import cmd_explain
from convviz.cli.finetune import cmd_finetune
from convviz.cli.listen import cmd_listen
from convviz.cli.memory import cmd_memory
from convviz.cli.parser import build_parser
from convviz.cli.replay import cmd_replay
from convviz.cli.sweep import cmd_sweep
from convviz.cli.train import cmd_train
from convviz.cli.window import cmd_gui
from convviz.errors import ConvVizError

log = logging.getLogger(__name__)

BUG_FRAMES = 3  # a bug's traceback shows its innermost frames; --verbose shows them all


COMMANDS = {
    "gui": cmd_gui,
    "train": cmd_train,
    "evaluate": cmd_evaluate,
    "classify": cmd_classify,
    "explain": cmd_explain,
    "embedding": cmd_embedding,
    "finetune": cmd_finetune,
    "memory": cmd_memory,
    "replay": cmd_replay,
    "listen": cmd_listen,
    "sweep": cmd_sweep,
    "classset": cmd_classset,
    "attack": cmd_attack,
}


def _report_bug(exc: BaseException, verbose: bool) -> None:
    """A short traceback (the whole one with --verbose) and a line that says whose fault it is."""
    limit = None if verbose else -BUG_FRAMES
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__, limit=limit, chain=verbose)
    print("".join(lines).rstrip(), file=sys.stderr)
    hint = "" if verbose else " (run it again with --verbose for the whole traceback)"
    print(f"convviz: this is a bug in ConvViz, not a problem with your input; please report it{hint}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(name)s: %(message)s")
    command = args.command or "gui"
    try:
        return COMMANDS[command](args)
    except KeyboardInterrupt:
        print("convviz: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ConvVizError as exc:
        log.debug("details", exc_info=True)
        print(f"convviz: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        _report_bug(exc, args.verbose)
        return EXIT_FAILED
