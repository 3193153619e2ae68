"""convviz.scores: the Wilson interval, and a score always shown with its count."""

from __future__ import annotations

import numpy as np
import pytest

from convviz import scores


def test_the_wilson_interval_matches_known_values_and_stays_in_bounds():
    # 97 of 100: the textbook Wilson interval is 0.9154 to 0.9897
    low, high = scores.wilson(97, 100)
    assert low == pytest.approx(0.9155, abs=2e-4) and high == pytest.approx(0.9897, abs=2e-4)
    # 1 of 1 says little: the interval reaches down to about 0.21
    low, high = scores.wilson(1, 1)
    assert high == 1.0 and low == pytest.approx(0.2065, abs=2e-4)
    assert scores.wilson(0, 10)[0] == 0.0 and scores.wilson(0, 0) == (0.0, 1.0)
    for n in (1, 7, 50, 1000):
        for k in range(0, n + 1, max(1, n // 7)):
            lo, hi = scores.wilson(k, n)
            assert 0.0 <= lo <= k / n <= hi <= 1.0
    # more drawings, a narrower interval
    assert np.diff(scores.wilson(900, 1000)) < np.diff(scores.wilson(9, 10))
    for bad in ((3, 2), (-1, 5), (1, -1)):
        with pytest.raises(ValueError):
            scores.wilson(*bad)


def test_a_formatted_score_has_its_count_and_interval():
    assert scores.format_score(97, 100) == "97.0 % (97/100, 95 % CI 91.5-99.0 %)"
    assert scores.format_score(0, 0) == "- (0/0)"
    assert scores.score_of(np.array([1, 2, 3]), np.array([1, 2, 4])).to_dict() == {
        "accuracy": pytest.approx(2 / 3, abs=1e-6),
        "correct": 2,
        "total": 3,
        "ci95": [pytest.approx(scores.wilson(2, 3)[0], abs=1e-6), pytest.approx(scores.wilson(2, 3)[1], abs=1e-6)],
    }


def test_no_held_back_score_from_fewer_than_ten_drawings():
    assert scores.held_back_score(9, 9) is None
    assert scores.held_back_score(9, 10) == scores.score(9, 10)
    assert scores.format_held_back(1, 1) == "too few held back to say (1 drawing)"
    assert scores.format_held_back(3, 9) == "too few held back to say (9 drawings)"
    assert scores.format_held_back(10, 10).startswith("100.0 % (10/10, 95 % CI ")
