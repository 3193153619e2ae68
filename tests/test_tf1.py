"""convviz.tf1: the v1 switch happens on the first use of ``tf``, and never for a student's TensorFlow."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import tensorflow
    eager = getattr(tensorflow, "executing_eagerly", lambda: False)
    before = eager()
    import convviz.tf1
    import convviz.watch
    root = convviz.tf1.user_tensorflow()
    assert root is tensorflow, root
    hook = convviz.watch.Watch.hook  # the watch module's lookup works without touching the v1 switch
    still = eager()
    from convviz.tf1 import tf, TF_VERSION
    after = eager()
    assert TF_VERSION == tensorflow.__version__
    assert hasattr(tf, "placeholder") and hasattr(tf, "Session")
    print(before, still, after)
    """
)


def test_watch_leaves_the_students_tensorflow_as_it_is_and_tf_switches_to_v1_on_first_use():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    ).stdout.split()
    before, still, after = out[-3:]
    # TF 2: eager on until convviz.tf1.tf is used; TF 1.15: graph mode throughout.
    assert still == before
    assert after == "False"


def test_an_unknown_name_is_an_attribute_error():
    import convviz.tf1

    try:
        convviz.tf1.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("no AttributeError")
