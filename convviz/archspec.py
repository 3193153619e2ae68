"""Spec strings, word by word: each layer's token, its bounds, its spelling and its errors.

``conv32@5x5-pool2-conv64@3x3v/2-dense128`` is a network written as one line
(the grammar is in :mod:`convviz.netspec`'s docstring and the README). This
module reads and spells the single tokens and says what is wrong with one;
:mod:`convviz.netspec` assembles the tokens into a network and checks it as a whole.

Every size a layer may have is bounded here (``MAX_*``, :data:`LIMITS`): a spec is
user input. Pure Python: no TensorFlow, Qt or numpy.
"""

from __future__ import annotations

import re

from convviz.errors import ConfigError

# Bounds on every spec, built-in or the user's: sizes that still train on a laptop CPU (the whole
# network's bounds, parameters, activations and multiply-adds, are in convviz.netspec).
MAX_SPEC_LENGTH = 200  # characters of a spec string
MAX_LAYERS = 16  # layers written in a spec string; a spec may have 2 more (the implied flatten and logits)
MAX_FILTERS = 512  # per conv layer
MAX_KERNEL = 11  # conv kernels are at most 11x11 (AlexNet's first layer)
MAX_STRIDE = 4  # conv strides
MAX_POOL = 8  # pool windows, 2x2 to 8x8
MAX_PAD = 8  # zeros on each side
MAX_UNITS = 4096  # per dense layer
EXAMPLE_SPEC = "conv32@5x5-pool2-dense128"  # for error messages and help texts

# Each counted field's range by layer type, and how a spec string's reader calls it.
LIMITS = {
    "pad": {"amount": (1, MAX_PAD, "padding")},
    "conv": {
        "filters": (1, MAX_FILTERS, "number of filters"),
        "size": (1, MAX_KERNEL, "kernel size"),
        "stride": (1, MAX_STRIDE, "stride"),
    },
    "pool": {"size": (2, MAX_POOL, "pool size")},
    "dense": {"units": (1, MAX_UNITS, "width")},
}

# conv32@5x5-pool2-conv64@3x3v/2-dense128: the grammar is in convviz.netspec's docstring and the README.
_PAD_TOKEN = re.compile(r"pad(\d+)\Z")
_CONV_TOKEN = re.compile(r"conv(\d+)@(\d+)x(\d+)([sv])?(?:/(\d+))?([sv])?\Z")
_POOL_TOKEN = re.compile(r"pool(\d+)\Z")
_DENSE_TOKEN = re.compile(r"dense(\d+)\Z")
_SPEC_LIKE = re.compile(r"[\d@\-]|^\s*(?:pad|conv|pool|dense|flatten|logits)", re.IGNORECASE)
TOKEN_FORMS = "pad<N>, conv<F>@<K>x<K> (then v for valid padding, /<S> for a stride), pool<K> or dense<N>"


class SpecError(ConfigError):
    """A spec string that does not describe a network: one line naming the token, its place and why.

    ``token`` is the offending layer as written (None when the spec as a whole is wrong: empty or too
    long), ``index`` its 1-based number among the written layers, ``position`` the 1-based character
    where it starts, ``reason`` why it is refused, e.g. ``"conv64@7x7 (layer 3, character 18): the input
    is 5x5 here, smaller than the 7x7 kernel"``.
    """

    def __init__(self, reason: str, token: str | None = None, index: int = 0, position: int = 0):
        message = reason if token is None else f"{token or '(nothing)'} (layer {index}, character {position}): {reason}"
        super().__init__(message)
        self.reason, self.token, self.index, self.position = reason, token, index, position


def spell_token(kind: str, values: tuple) -> str:
    """One layer's canonical spelling."""
    if kind == "conv":
        filters, size, padding, stride = values
        return f"conv{filters}@{size}x{size}{'v' if padding == 'VALID' else ''}{f'/{stride}' if stride != 1 else ''}"
    return f"{kind}{values[0]}"


def looks_like_spec(text: str) -> bool:
    """A digit, @ or -, or a start as a layer's: read as a spec string, not as a network's name."""
    return bool(_SPEC_LIKE.search(text))


def split_tokens(text: str) -> list[tuple[str, int]]:
    """The layers written in ``text``: each token stripped, with the 1-based character where it starts.

    A control character (a NUL, a newline, a tab) is refused: a spec is one line of printable text, and
    stripping would otherwise hide a newline inside a name that is written to files and shown.
    """
    for i, char in enumerate(text):
        if not (char == " " or char.isprintable()):
            raise SpecError(f"the architecture spec holds the control character {char!r} at character {i + 1}")
    tokens = []
    start = 0
    for piece in text.split("-"):
        stripped = piece.strip()
        offset = piece.index(stripped) if stripped else 0
        tokens.append((stripped, start + offset + 1))
        start += len(piece) + 1
    return tokens


def read_token(token: str, index: int, position: int) -> tuple[str, tuple]:
    """(kind, values) of one written layer; SpecError naming it if it is not one."""

    def refuse(reason: str) -> SpecError:
        return SpecError(reason, token, index, position)

    def bounded(kind: str, field: str, text: str) -> int:
        low, high, words = LIMITS[kind][field]
        value = int(text)
        if not low <= value <= high:
            raise refuse(f"the {words} must be from {low} to {high}, not {value}")
        return value

    word = token.lower()
    match = _PAD_TOKEN.match(word)
    if match:
        return "pad", (bounded("pad", "amount", match.group(1)),)
    match = _CONV_TOKEN.match(word)
    if match:
        filters, size, other, before, stride, after = match.groups()
        if size != other:
            raise refuse(f"kernels are square: write {size}x{size} or {other}x{other}")
        if before and after:
            raise refuse("give the padding once: v for valid, nothing (or s) for same")
        padding = "VALID" if "v" in (before, after) else "SAME"
        return "conv", (
            bounded("conv", "filters", filters),
            bounded("conv", "size", size),
            padding,
            bounded("conv", "stride", stride) if stride is not None else 1,
        )
    match = _POOL_TOKEN.match(word)
    if match:
        return "pool", (bounded("pool", "size", match.group(1)),)
    match = _DENSE_TOKEN.match(word)
    if match:
        return "dense", (bounded("dense", "units", match.group(1)),)
    if not word:
        raise refuse("an empty layer: two dashes in a row, or a dash at an end")
    if word == "flatten":
        raise refuse("the flatten before the first dense layer is implied; leave it out")
    if word in ("logits", "softmax", "output", "out"):
        raise refuse("the 10-way output layer at the end is implied; leave it out")
    hints = {
        "conv": "write conv<filters>@<k>x<k>, e.g. conv32@5x5, conv32@5x5v (valid padding) or conv32@5x5/2 (stride 2)",
        "pool": "write pool<size>, e.g. pool2",
        "dense": "write dense<units>, e.g. dense128",
        "pad": "write pad<pixels>, e.g. pad2",
    }
    for prefix, hint in hints.items():
        if word.startswith(prefix):
            raise refuse(hint)
    raise refuse(f"unknown layer; write {TOKEN_FORMS}")
