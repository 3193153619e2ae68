"""JSON from outside, bounded: its size and nesting are checked in one linear scan before it is parsed.

Python's ``json`` recurses once per nested array or object (so deep input ends in
RecursionError or worse), and on Python 3.7 turns a number of a million digits
into an int in quadratic time. :func:`loads` refuses both before they cost
anything: the size first, then the nesting depth from a vectorised scan of the
bytes (linear, no regular expression, so no backtracking), then every number's
length as the parser meets it. NaN and Infinity are not JSON and are refused.

The scan finds string literals exactly as JSON does inside them (a quote ends a
string unless an odd run of backslashes precedes it). Outside a string a
backslash is a syntax error, so where the scan and the parser could disagree
the parser has already stopped: the depth it measures is never less than what
the parser would reach.

Imports only numpy and the standard library; Python 3.7 compatible.
"""

from __future__ import annotations

import json

import numpy as np

from convviz.errors import ConvVizError

MAX_NUMBER_CHARS = 64  # ConvViz writes counts and floats of at most ~25 characters


class JSONLimitError(ConvVizError, ValueError):
    """The text is not JSON ConvViz reads: too large, too deep, or not JSON; one line, no path."""


def json_depth(raw: bytes) -> int:
    """How deeply the arrays and objects of the UTF-8 JSON text ``raw`` nest, without parsing it.

    Linear in ``len(raw)``: each step is one vectorised pass. UTF-8's multi-byte sequences never
    hold an ASCII byte, so quotes, backslashes and brackets are found byte by byte.
    """
    codes = np.frombuffer(raw, dtype=np.uint8)
    n = len(codes)
    if n == 0:
        return 0
    width = np.int32 if n < 2**31 - 1 else np.int64  # half the memory for any text we read
    index = np.arange(n, dtype=width)
    backslash = codes == ord("\\")
    # For each byte, the index of the last byte at or before it that is not a backslash.
    last_other = np.maximum.accumulate(np.where(backslash, -1, index))
    run_before = np.zeros(n, dtype=width)  # backslashes right before each byte
    run_before[1:] = index[:-1] - last_other[:-1]
    quote = (codes == ord('"')) & (run_before % 2 == 0)
    in_string = (np.cumsum(quote, dtype=width) % 2).astype(bool)  # a bracket is never a quote
    del index, last_other, run_before, backslash
    opens = ((codes == ord("[")) | (codes == ord("{"))) & ~in_string
    closes = ((codes == ord("]")) | (codes == ord("}"))) & ~in_string
    steps = opens.astype(np.int32) - closes.astype(np.int32)
    return int(np.cumsum(steps, dtype=width).max())


def _number(kind):
    def parse(text: str):
        if len(text) > MAX_NUMBER_CHARS:
            raise JSONLimitError(f"a number of {len(text):,} characters")
        return kind(text)

    return parse


def _no_constants(name: str):
    raise JSONLimitError(f"{name} is not a JSON number")


def loads(raw: bytes, max_bytes: int, max_depth: int):
    """The JSON value in the UTF-8 bytes ``raw``; JSONLimitError (one line) if it is over a bound or not JSON.

    ``max_bytes`` bounds the text, ``max_depth`` how deeply its arrays and objects nest.
    """
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise TypeError("loads() reads bytes")
    raw = bytes(raw)
    if len(raw) > max_bytes:
        raise JSONLimitError(f"larger than {max_bytes:,} bytes")
    if json_depth(raw) > max_depth:
        raise JSONLimitError(f"nested more than {max_depth} deep")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JSONLimitError(f"not UTF-8 text (byte {exc.start})") from None
    if text.startswith("\ufeff"):
        raise JSONLimitError("starts with a byte-order mark")
    try:
        return json.loads(text, parse_int=_number(int), parse_float=_number(float), parse_constant=_no_constants)
    except JSONLimitError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        lines = str(exc).strip().splitlines()
        raise JSONLimitError(lines[0] if lines else type(exc).__name__) from None
