"""bench/cross_writer.py: synthetic writers are consistent, seeded apart, and scored with counts and intervals."""

from __future__ import annotations

import numpy as np

from bench import cross_writer as cw


def test_a_writer_is_one_consistent_hand_and_the_roles_are_different_writers():
    a = cw.make_writer(cw.BENCH_TAUGHT, 0)
    assert a == cw.make_writer(cw.BENCH_TAUGHT, 0)  # seeded: the same hand every run
    assert a.continental and a.styles[7] in cw.CONTINENTAL_STYLES[7] and a.styles[1] in cw.CONTINENTAL_STYLES[1]
    b = cw.make_writer(cw.BENCH_TAUGHT, 1)
    assert not b.continental and b.styles[7] not in cw.CONTINENTAL_STYLES[7]
    hands = {(w.pen, w.slant, w.height) for role in range(4) for w in (cw.make_writer(role, i) for i in range(7))}
    assert len(hands) == 28  # no writer of one role is a writer of another
    images, forms = cw.draw(a, cw.BENCH_TAUGHT, 0, 7, 3, hard=False)
    assert len(images) == 3 and set(forms) == {f"7/{a.styles[7]}"} and images[0].shape == (28, 28)


def test_scores_carry_counts_and_intervals_per_digit_and_form():
    labels = np.array([7, 7, 7, 1, 1])
    forms = np.array(["7/crossed", "7/crossed", "7/plain", "1/flagged", "1/bar"])
    drawn = cw.Drawn(np.zeros((5, 28, 28), np.float32), labels, forms, np.array(["w"] * 5))
    scored = cw.score_drawn(np.array([7, 1, 7, 7, 1]), drawn)
    assert scored["overall"]["correct"] == 3 and scored["overall"]["total"] == 5
    assert scored["per_digit"][7]["correct"] == 2 and scored["per_digit"][7]["total"] == 3
    crossed = scored["forms"]["crossed 7"]
    assert (crossed["correct"], crossed["total"]) == (1, 2) and crossed["ci95"][0] < 0.5 < crossed["ci95"][1]
    assert scored["styles"]["1/flagged"]["read_as"] == {"7": 1}


def test_every_scored_writer_draws_each_digit_per_digit_times_in_each_hand():
    """The main run and the run without thinning draw the same scored set: every writer of the role."""
    sets = cw.scored_sets((cw.BENCH_SCORED,), per_digit=1)
    for hand, drawn in sets.items():
        assert len(drawn.labels) == cw.SCORED_WRITERS * 10, hand
        assert len(set(drawn.writers.tolist())) == cw.SCORED_WRITERS
        assert np.array_equal(np.bincount(drawn.labels, minlength=10), np.full(10, cw.SCORED_WRITERS))


def test_the_wide_grid_is_settings_teach_takes_and_sets_join():
    from convviz.augment import AugmentSettings
    from convviz.finetune import FinetuneConfig

    for spec in cw.wide_grid():
        fields = {k: v for k, v in spec.items() if k not in ("augment_settings", "thinning")}
        FinetuneConfig(**fields).validate()
        AugmentSettings(**spec.get("augment_settings", {}))
        assert spec.get("thinning", "off") == "off"
    assert cw.wide_grid()[0] == {}  # the default comes first: every other row is read against it
    forms = np.array(["1/bar", "2/plain"])
    a = cw.Drawn(np.zeros((2, 28, 28), np.float32), np.array([1, 2]), forms, np.array(["a", "a"]))
    b = cw.Drawn(np.ones((1, 28, 28), np.float32), np.array([3]), np.array(["3/round"]), np.array(["b"]))
    both = cw.joined([a, b])
    assert both.x.shape == (3, 28, 28) and both.labels.tolist() == [1, 2, 3]
    assert both.writers.tolist() == ["a", "a", "b"] and both.forms.tolist()[-1] == "3/round"


def test_the_stroke_width_report_shows_every_width_with_counts():
    from bench import stroke_width as sw

    entry = {"correct": 9, "total": 10, "accuracy": 0.9, "ci95": [0.6, 0.98]}
    rows = [{"max_stroke_width": w, "normal": entry, "hard": entry, "mnist_to_mnist": entry} for w in sw.WIDTHS]
    ablation = [{"normal_factors": list(f), "score": entry} for f in [(), ("slant",), sw.FACTORS]]
    result = {"rows": rows, "ablation": ablation, "roles": list(cw.PREPROCESS_ROLES), "writers_per_role": 14}
    result.update({"per_digit": 4, "mnist_train_width": {"50": 2.57}, "mnist_train_over_chosen": 0.033})
    text = sw.render(result)
    assert "| off |" in text and "| 4 px |" in text and "(9/10" in text
    assert "| slant |" in text and "| everything (the normal hand) |" in text
    assert not set(cw.PREPROCESS_ROLES) & {cw.BENCH_TAUGHT, cw.BENCH_SCORED}  # never the benchmark's writers
