"""Quiz statistics against values worked out by hand (the arithmetic is in the comments)."""

import math
import time
from dataclasses import astuple

import numpy as np
import pytest

from educational.quizzes.responses import analyse_responses
from educational.quizzes.statistics import (
    ItemStatistics,
    analyse_items,
    random_guess_score,
    select_attempts,
    summarise_quiz,
)

NAN = np.nan

# Five attempts at three questions worth 1, 1 and 2 points; T is the attempt's total.
#
#        q1  q2  q3   T   percent (of 4)
#   a1    1   1   2   4   100
#   a2    1   0   2   3    75
#   a3    0   1   0   1    25
#   a4    1   1   1   3    75
#   a5    0   0   0   0     0
FULL = np.array([[1, 1, 2], [1, 0, 2], [0, 1, 0], [1, 1, 1], [0, 0, 0]], dtype=float)
FULL_POINTS = [1, 1, 2]


def approx(value):
    return pytest.approx(value, abs=1e-9)


def test_facility_and_sd():
    q1, q2, q3 = analyse_items(FULL, FULL_POINTS).items
    # q1: mean 3/5 = 0.6 of 1 point -> 60 %. Deviations .4 .4 -.6 .4 -.6, squares sum
    # 3 * .16 + 2 * .36 = 1.2, variance 1.2 / 4 = .3, SD sqrt(.3) = .547723 -> 54.77 %.
    assert q1.attempts == 5
    assert q1.mean_score == approx(0.6)
    assert q1.facility == approx(60.0)
    assert q1.sd == approx(100 * math.sqrt(0.3))
    # q2 has the same scores in another order.
    assert q2.facility == approx(60.0)
    assert q2.sd == approx(100 * math.sqrt(0.3))
    # q3: mean 5/5 = 1 of 2 points -> 50 %. Deviations 1 1 -1 0 -1, variance 4 / 4 = 1,
    # SD 1 point = 50 % of 2 points.
    assert q3.mean_score == approx(1.0)
    assert q3.facility == approx(50.0)
    assert q3.sd == approx(50.0)


def test_discrimination_index_and_efficiency():
    q1, q2, q3 = analyse_items(FULL, FULL_POINTS).items
    # q1: x = 1 1 0 1 0 (mean .6); rest X = T - x = 3 2 1 2 0 (mean 1.6).
    # dx = .4 .4 -.6 .4 -.6; dX = 1.4 .4 -.6 .4 -1.6
    # V(x) = 1.2 / 4 = .3; V(X) = (1.96 + .16 + .36 + .16 + 2.56) / 4 = 5.2 / 4 = 1.3
    # Cov = (.56 + .16 + .36 + .16 + .96) / 4 = 2.2 / 4 = .55
    # D = 100 * .55 / sqrt(.3 * 1.3) = 100 * .55 / .624500 = 88.07 %
    assert q1.discrimination_index == approx(100 * 0.55 / math.sqrt(0.3 * 1.3))
    assert q1.discrimination_index == pytest.approx(88.0705, abs=1e-4)
    # Sorted: x 0 0 1 1 1 (dx -.6 -.6 .4 .4 .4), X 0 1 2 2 3 (dX -1.6 -.6 .4 .4 1.4)
    # CovMax = (.96 + .36 + .16 + .16 + .56) / 4 = 2.2 / 4 = .55 -> E = 100 %
    assert q1.discriminative_efficiency == approx(100.0)

    # q2: x = 1 0 1 1 0 (mean .6); X = 3 3 0 2 0 (mean 1.6).
    # dx = .4 -.6 .4 .4 -.6; dX = 1.4 1.4 -1.6 .4 -1.6
    # V(X) = (1.96 + 1.96 + 2.56 + .16 + 2.56) / 4 = 9.2 / 4 = 2.3
    # Cov = (.56 - .84 - .64 + .16 + .96) / 4 = .2 / 4 = .05
    # D = 100 * .05 / sqrt(.3 * 2.3) = 5 / .830662 = 6.02 %
    assert q2.discrimination_index == approx(100 * 0.05 / math.sqrt(0.3 * 2.3))
    # Sorted X 0 0 2 3 3 (dX -1.6 -1.6 .4 1.4 1.4) against dx -.6 -.6 .4 .4 .4:
    # CovMax = (.96 + .96 + .16 + .56 + .56) / 4 = 3.2 / 4 = .8 -> E = .05 / .8 = 6.25 %
    assert q2.discriminative_efficiency == approx(6.25)

    # q3: x = 2 2 0 1 0 (mean 1); X = 2 1 1 2 0 (mean 1.2).
    # dx = 1 1 -1 0 -1; dX = .8 -.2 -.2 .8 -1.2
    # V(x) = 1; V(X) = (.64 + .04 + .04 + .64 + 1.44) / 4 = 2.8 / 4 = .7
    # Cov = (.8 - .2 + .2 + 0 + 1.2) / 4 = 2 / 4 = .5 -> D = 50 / sqrt(.7) = 59.76 %
    assert q3.discrimination_index == approx(50 / math.sqrt(0.7))
    # Sorted x 0 0 1 2 2 (dx -1 -1 0 1 1), X 0 1 1 2 2 (dX -1.2 -.2 -.2 .8 .8):
    # CovMax = (1.2 + .2 + 0 + .8 + .8) / 4 = .75 -> E = .5 / .75 = 66.67 %
    assert q3.discriminative_efficiency == approx(200 / 3)


def test_weights_and_internal_consistency():
    analysis = analyse_items(FULL, FULL_POINTS)
    q1, q2, q3 = analysis.items
    # Intended: points over the attempt's maximum of 4: 25 %, 25 %, 50 %.
    assert [q.intended_weight for q in analysis.items] == [approx(25), approx(25), approx(50)]
    # Cov(x, T) = sum(dx * T) / 4:
    #   q1: .4*4 + .4*3 - .6*1 + .4*3 - .6*0 = 3.4 -> .85
    #   q2: .4*4 - .6*3 + .4*1 + .4*3 - .6*0 = 1.4 -> .35
    #   q3: 1*4 + 1*3 - 1*1 + 0*3 - 1*0 = 6 -> 1.5
    # Effective weight = sqrt(Cov) / sum of sqrt(Cov): .921954, .591608, 1.224745 over
    # 2.738307 -> 33.67 %, 21.60 %, 44.73 %
    roots = [math.sqrt(0.85), math.sqrt(0.35), math.sqrt(1.5)]
    assert q1.effective_weight == approx(100 * roots[0] / sum(roots))
    assert q2.effective_weight == approx(100 * roots[1] / sum(roots))
    assert q3.effective_weight == approx(100 * roots[2] / sum(roots))
    assert q1.effective_weight == pytest.approx(33.6688, abs=1e-4)
    # CIC: p = 3 questions, sum of item variances .3 + .3 + 1 = 1.6. Totals 4 3 1 3 0 (mean
    # 2.2), deviations 1.8 .8 -1.2 .8 -2.2, squares 10.8, k2 = 10.8 / 4 = 2.7.
    # CIC = 100 * 3/2 * (1 - 1.6 / 2.7) = 150 * 1.1 / 2.7 = 61.11 %
    assert analysis.cic == approx(150 * 1.1 / 2.7)
    # Error ratio = 100 * sqrt(1 - .6111) = 62.36 %; standard error = .6236 * sqrt(2.7)
    # = 1.0247 points = 25.62 % of 4 points.
    error_ratio = 100 * math.sqrt(1 - 1.65 / 2.7)
    assert analysis.error_ratio == approx(error_ratio)
    assert analysis.standard_error == approx(100 * (error_ratio / 100 * math.sqrt(2.7)) / 4)


def test_quiz_summary():
    summary = summarise_quiz([100, 75, 25, 75, 0], [True, True, False, True, False])
    assert summary.attempts == 5
    # Mean 275 / 5 = 55; sorted 0 25 75 75 100 -> median 75.
    assert summary.mean == approx(55)
    assert summary.median == approx(75)
    # Deviations 45 20 -30 20 -55. Squares 2025 400 900 400 3025 = 6750: m2 = 1350,
    # k2 = 6750 / 4 = 1687.5, SD = sqrt(1687.5) = 41.08.
    assert summary.sd == approx(math.sqrt(1687.5))
    # Cubes 91125 8000 -27000 8000 -166375 = -86250: m3 = -17250,
    # k3 = 25 * -17250 / (4 * 3) = -35937.5; skewness = k3 / k2^1.5 = -0.5184.
    assert summary.skewness == approx(-35937.5 / 1687.5**1.5)
    # Fourth powers 4100625 + 2 * 160000 + 810000 + 9150625 = 14381250: m4 = 2876250,
    # k4 = 25 * (6 * 2876250 - 3 * 4 * 1350^2) / (4 * 3 * 2) = -4804687.5;
    # kurtosis = k4 / k2^2 = -4804687.5 / 2847656.25 = -1.6872.
    assert summary.kurtosis == approx(-4804687.5 / 1687.5**2)
    assert summary.passed == 3
    assert summary.pass_rate == approx(60)
    # 0 in [0, 10); 25 in [20, 30); 75 twice in [70, 80); 100 in the closed last bin.
    counts = {(b.low, b.high): b.count for b in summary.distribution}
    assert counts == {
        (0, 10): 1,
        (10, 20): 0,
        (20, 30): 1,
        (30, 40): 0,
        (40, 50): 0,
        (50, 60): 0,
        (60, 70): 0,
        (70, 80): 2,
        (80, 90): 0,
        (90, 100): 1,
    }
    assert summary.distribution[7].percent == approx(40)


# Four attempts at three 1-point questions drawn at random ("-": not drawn).
#
#        q1  q2  q3   T   attempt max
#   b1    1   1   -   2   2
#   b2    1   -   0   1   2
#   b3    0   1   1   2   3
#   b4    0   -   0   0   2
DRAWN = np.array([[1, 1, NAN], [1, NAN, 0], [0, 1, 1], [0, NAN, 0]])


def test_undrawn_questions_use_the_attempts_that_drew_them():
    analysis = analyse_items(DRAWN, [1, 1, 1])
    q1, q2, q3 = analysis.items
    assert [q.attempts for q in analysis.items] == [4, 2, 3]
    # q1 (all four): x = 1 1 0 0 (mean .5), X = 1 0 2 0 (mean .75).
    # dx = .5 .5 -.5 -.5; dX = .25 -.75 1.25 -.75
    # V(x) = 1 / 3; V(X) = (.0625 + .5625 + 1.5625 + .5625) / 3 = 2.75 / 3
    # Cov = (.125 - .375 - .625 + .375) / 3 = -.5 / 3
    # D = 100 * (-1/6) / sqrt(1/3 * 11/12) = -30.15 %
    assert q1.facility == approx(50)
    assert q1.sd == approx(100 * math.sqrt(1 / 3))
    assert q1.discrimination_index == approx(100 * (-1 / 6) / math.sqrt(1 / 3 * 11 / 12))
    # Sorted: dx -.5 -.5 .5 .5, X 0 0 1 2 (dX -.75 -.75 .25 1.25):
    # CovMax = (.375 + .375 + .125 + .625) / 3 = .5 -> E = (-1/6) / .5 = -33.33 %
    assert q1.discriminative_efficiency == approx(-100 / 3)
    assert q1.flags == ("negative_discrimination", "low_efficiency")
    # q2 (b1, b3): 1 and 1, no spread: SD 0, no discrimination, very easy.
    assert q2.facility == approx(100)
    assert q2.sd == approx(0)
    assert q2.discrimination_index is None
    assert q2.discriminative_efficiency is None
    assert q2.flags == ("very_easy",)
    # q3 (b2, b3, b4): x = 0 1 0 (mean 1/3), X = 1 1 0 (mean 2/3).
    # dx = -1/3 2/3 -1/3; dX = 1/3 1/3 -2/3; V(x) = V(X) = (6/9) / 2 = 1/3;
    # Cov = (-1/9 + 2/9 + 2/9) / 2 = 1/6 -> D = (1/6) / (1/3) = 50 %.
    # Sorted dx -1/3 -1/3 2/3 with dX -2/3 1/3 1/3: (2/9 - 1/9 + 2/9) / 2 = 1/6 -> E = 100 %
    assert q3.facility == approx(100 / 3)
    assert q3.discrimination_index == approx(50)
    assert q3.discriminative_efficiency == approx(100)
    assert q3.flags == ()
    # Intended weight: 1 point over the mean maximum of the attempts that drew it:
    # q1 (2 + 2 + 3 + 2) / 4 = 2.25 -> 44.44 %; q2 (2 + 3) / 2 -> 40 %; q3 7/3 -> 42.86 %.
    assert [q.intended_weight for q in analysis.items] == [
        approx(100 / 2.25),
        approx(40),
        approx(300 / 7),
    ]
    # Cov(x, T): q1 (.5*2 + .5*1 - .5*2 - .5*0) / 3 = 1/6; q2 0; q3 (-1/3*1 + 2/3*2) / 2 = 1/2.
    # Normaliser = sum of share drawn * sqrt(Cov) = 1 * .408248 + .5 * 0 + .75 * .707107
    # = .938578, so q1 43.50 %, q2 0 %, q3 75.34 % (q1 + q2/2 + 3 q3/4 = 100 %).
    normaliser = math.sqrt(1 / 6) + 0.75 * math.sqrt(0.5)
    assert q1.effective_weight == approx(100 * math.sqrt(1 / 6) / normaliser)
    assert q2.effective_weight == approx(0)
    assert q3.effective_weight == approx(100 * math.sqrt(0.5) / normaliser)
    # Internal consistency needs every question in every attempt.
    assert (analysis.cic, analysis.error_ratio, analysis.standard_error) == (None, None, None)


def assert_no_nan(*records):
    for record in records:
        for value in astuple(record):
            assert not (isinstance(value, float) and math.isnan(value)), record


def test_no_attempts():
    analysis = analyse_items(np.empty((0, 2)), [1, 2])
    assert [q.attempts for q in analysis.items] == [0, 0]
    assert analysis.items[0] == ItemStatistics(0, None, None, None, None, None, None, None)
    summary = summarise_quiz([], [])
    assert summary.attempts == 0
    assert (summary.mean, summary.median, summary.sd, summary.pass_rate) == (None,) * 4
    assert [b.count for b in summary.distribution] == [0] * 10
    assert_no_nan(*analysis.items, summary, *summary.distribution)


def test_one_attempt():
    analysis = analyse_items(np.array([[1.0, 0.0]]), [1, 1])
    first = analysis.items[0]
    assert first.facility == approx(100)
    assert (first.sd, first.discrimination_index, first.discriminative_efficiency) == (None,) * 3
    assert first.effective_weight is None
    summary = summarise_quiz([50.0], [False])
    assert (summary.mean, summary.median, summary.sd) == (50.0, 50.0, None)
    assert (summary.skewness, summary.kurtosis, summary.pass_rate) == (None, None, 0.0)
    assert_no_nan(*analysis.items, summary)


def test_no_spread():
    # Everybody scores 0.1 (which is not exact in binary): rounding must not pass as spread.
    analysis = analyse_items(np.full((4, 2), 0.1), [1, 1])
    for item in analysis.items:
        assert item.sd == 0.0
        assert item.discrimination_index is None
        assert item.discriminative_efficiency is None
    assert analysis.cic is None
    summary = summarise_quiz([70.1] * 5, [True] * 5)
    assert summary.sd == approx(0)
    assert (summary.skewness, summary.kurtosis) == (None, None)
    assert_no_nan(*analysis.items, summary)


def test_question_without_points():
    (item,) = analyse_items(np.array([[0.0], [0.0]]), [0]).items
    assert (item.facility, item.sd, item.intended_weight) == (None, None, None)


def test_shape_is_checked():
    with pytest.raises(ValueError, match="one max_points a question"):
        analyse_items(np.zeros((2, 3)), [1, 1])


def test_select_attempts():
    # Learner 7: attempts 1 (40 %), 2 (90 %), 3 (90 %); learner 8: attempt 1 (60 %).
    users, numbers, percents = [7, 8, 7, 7], [2, 1, 3, 1], [90, 60, 90, 40]
    assert select_attempts(users, numbers, percents, "all").tolist() == [True] * 4
    assert select_attempts(users, numbers, percents, "first").tolist() == [
        False,
        True,
        False,
        True,
    ]
    assert select_attempts(users, numbers, percents, "last").tolist() == [
        False,
        True,
        True,
        False,
    ]
    # Highest: 90 % twice; the earlier attempt (number 2) counts.
    assert select_attempts(users, numbers, percents, "highest").tolist() == [
        True,
        True,
        False,
        False,
    ]
    assert select_attempts([], [], [], "first").tolist() == []
    with pytest.raises(ValueError, match="which must be one of"):
        select_attempts(users, numbers, percents, "best")


def test_random_guess_score():
    options = [{"id": i, "correct": i == "b"} for i in "abcd"]
    assert random_guess_score("single", {"options": options}) == 0.25
    assert random_guess_score("true_false", {"answer": True}) == 0.5
    matching = {
        "pairs": [{"id": "p", "match": "x"}, {"id": "q", "match": "y"}],
        "distractors": ["z", "w"],
    }
    assert random_guess_score("matching", matching) == 0.25
    assert random_guess_score("ordering", {"items": [{"id": i} for i in "abc"]}) == 1 / 3
    assert random_guess_score("short", {"answers": []}) == 0.0
    assert random_guess_score("multiple", {"options": options}) is None


def test_ten_thousand_attempts_take_well_under_a_second():
    rng = np.random.default_rng(4)
    ability = rng.normal(size=(10_000, 1))
    scores = (rng.random((10_000, 50)) < 1 / (1 + np.exp(-ability))).astype(float)
    scores[rng.random(scores.shape) < 0.3] = NAN
    started = time.perf_counter()
    analysis = analyse_items(scores, np.ones(50))
    summarise_quiz(rng.random(10_000) * 100, rng.random(10_000) < 0.5)
    assert time.perf_counter() - started < 1.0
    # Every question measures the same ability: they all discriminate.
    assert all(item.discrimination_index > 20 for item in analysis.items)


# Response frequencies


def rows(group):
    return [(row.kind, row.label, row.count, row.percent, row.fraction) for row in group.rows]


SINGLE = {
    "options": [
        {"id": "a", "text": "Nine", "correct": False},
        {"id": "b", "text": "Eleven", "correct": True},
    ]
}


def test_single_choice_frequencies():
    analysis = analyse_responses("single", SINGLE, ["b", "a", "b", None, "zz"])
    assert analysis.attempts == 5
    (group,) = analysis.groups
    # 2 of 5 chose "b" (40 %), 1 "a" (20 %); None and an unknown id are no answer (40 %).
    assert rows(group) == [
        ("response", "Nine", 1, 20.0, 0.0),
        ("response", "Eleven", 2, 40.0, 1.0),
        ("no_answer", "", 2, 40.0, None),
    ]


def test_multiple_choice_frequencies():
    definition = {
        "options": [
            {"id": "a", "text": "Mining", "correct": True},
            {"id": "b", "text": "Banking", "correct": False},
        ],
        "weighted": False,
    }
    (group,) = analyse_responses("multiple", definition, [["a", "b"], ["a"], [], None]).groups
    # "a" in 2 of 4 answers, "b" in 1; [] and None chose nothing.
    assert rows(group) == [
        ("response", "Mining", 2, 50.0, 1.0),
        ("response", "Banking", 1, 25.0, 0.0),
        ("no_answer", "", 2, 50.0, None),
    ]


def test_true_false_frequencies():
    (group,) = analyse_responses("true_false", {"answer": False}, [True, False, False]).groups
    assert rows(group) == [
        ("true", "true", 1, 100 / 3, 0.0),
        ("false", "false", 2, 200 / 3, 1.0),
        ("no_answer", "", 0, 0.0, None),
    ]


def test_short_answers_are_normalised_and_cut_to_the_top():
    definition = {
        "case_sensitive": False,
        "answers": [{"text": "bauxite", "pattern": None, "weight": 100, "feedback": ""}],
    }
    answers = ["Bauxite", " bauxite ", "BAUXITE", "alumina", "red  mud", "red mud", "", None]
    (group,) = analyse_responses("short", definition, answers, top=2).groups
    # bauxite 3 times (its first spelling shown), red mud twice; alumina beyond the top 2.
    assert rows(group) == [
        ("response", "Bauxite", 3, 37.5, 1.0),
        ("response", "red mud", 2, 25.0, 0.0),
        ("other", "", 1, 12.5, None),
        ("no_answer", "", 2, 25.0, None),
    ]


def test_numeric_answers_are_grouped_by_value():
    definition = {"answers": [{"value": 3.5, "tolerance": 0, "weight": 100, "feedback": ""}]}
    (group,) = analyse_responses("numeric", definition, ["3.5", "3,50", " 3.500", "4", "x"]).groups
    assert rows(group) == [
        ("response", "3.5", 3, 60.0, 1.0),
        ("response", "4", 1, 20.0, 0.0),
        ("response", "x", 1, 20.0, 0.0),
        ("no_answer", "", 0, 0.0, None),
    ]


def test_matching_frequencies():
    definition = {
        "pairs": [
            {"id": "p1", "prompt": "Bauxite", "match": "ore"},
            {"id": "p2", "prompt": "Alumina", "match": "oxide"},
        ],
        "distractors": ["alloy"],
    }
    answers = [{"p1": "ore", "p2": "oxide"}, {"p1": "oxide", "p2": "ore"}, {"p1": "ore"}, None]
    first, second = analyse_responses("matching", definition, answers).groups
    assert first.label == "Bauxite"
    # The right match first, then the other choices alphabetically.
    assert rows(first) == [
        ("response", "ore", 2, 50.0, 1.0),
        ("response", "alloy", 0, 0.0, 0.0),
        ("response", "oxide", 1, 25.0, 0.0),
        ("no_answer", "", 1, 25.0, None),
    ]
    assert rows(second) == [
        ("response", "oxide", 1, 25.0, 1.0),
        ("response", "alloy", 0, 0.0, 0.0),
        ("response", "ore", 1, 25.0, 0.0),
        ("no_answer", "", 2, 50.0, None),
    ]


def test_ordering_frequencies():
    definition = {"items": [{"id": "a", "text": "Mine"}, {"id": "b", "text": "Refine"}]}
    answers = [["a", "b"], ["b", "a"], ["a", "b"], ["a", "a"], None]
    mine, refine = analyse_responses("ordering", definition, answers).groups
    assert mine.label == "Mine"
    # Valid orders: ab, ba, ab. "Mine" first twice, second once; two answers are not orders.
    assert rows(mine) == [
        ("position", "1", 2, 40.0, 1.0),
        ("position", "2", 1, 20.0, 0.0),
        ("no_answer", "", 2, 40.0, None),
    ]
    assert rows(refine) == [
        ("position", "1", 1, 20.0, 0.0),
        ("position", "2", 2, 40.0, 1.0),
        ("no_answer", "", 2, 40.0, None),
    ]


def test_responses_without_attempts():
    analysis = analyse_responses("single", SINGLE, [])
    assert analysis.attempts == 0
    assert [row.percent for row in analysis.groups[0].rows] == [0.0, 0.0, 0.0]
    assert analyse_responses("essay", {}, ["text"]).groups == ()
