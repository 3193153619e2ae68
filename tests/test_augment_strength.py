"""bench/augment_strength.py: the chosen setting is what training uses, and its report shows every count."""

from __future__ import annotations

from bench import augment_strength as strength


def test_the_chosen_variant_is_the_default_training_uses_and_before_is_the_old_one():
    from convviz import augment, forms

    form_settings, augment_settings, _ = strength.VARIANTS[strength.CHOSEN]
    assert forms.DEFAULT._replace(**form_settings) == forms.DEFAULT
    assert augment.DEFAULT._replace(**augment_settings) == augment.DEFAULT
    old_forms, old_augment, _ = strength.VARIANTS["before"]
    assert forms.DEFAULT._replace(**old_forms) != forms.DEFAULT
    assert augment.DEFAULT._replace(**old_augment) != augment.DEFAULT


def _hand(wrong: int, styles: dict) -> dict:
    total = 4480
    return {
        "score": {"accuracy": (total - wrong) / total, "correct": total - wrong, "total": total, "ci95": [0.9, 0.99]},
        "styles": styles,
    }


def test_the_report_gives_errors_per_setting_and_per_style():
    long_ones = {"1/flagged_long": {"errors": 5, "total": 72, "read_as": {"7": 5}}}
    model = {
        "label": "a label",
        "normal": _hand(7, long_ones),
        "hard": _hand(20, {"1/flagged_long": {"errors": 9, "total": 72, "read_as": {"7": 9}}}),
        "mnist_test": {"accuracy": 0.9948, "correct": 9948, "total": 10000, "ci95": [0.993, 0.996]},
        "mnist_7_as_1": 4,
        "mnist_1_as_7": 2,
    }
    machine = {"tensorflow": "x", "date": "d"}
    result = {"command": "cmd", "machine": machine, "chosen": "both", "models": {"both": model}}
    text = strength.render_markdown(result)
    assert "| `both`: a label **(chosen, the default now)** | 7 (99.8 %" in text
    assert "| 20 (99.6 %" in text and "99.48 % (9948/10000) | 4 / 2 |" in text
    assert "| `1/flagged_long` | 14 / 144 |" in text  # both hands summed
    assert "| every other style | 13 |" in text  # 27 errors, 14 of them in the styles shown
