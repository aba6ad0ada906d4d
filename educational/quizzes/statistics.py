"""Quiz statistics and item analysis, computed as Moodle's quiz statistics report does.

Pure: arrays and answers in, numbers out; no Flask, no database (``reports.py`` gathers the
data in two queries). Everything is vectorised with numpy: 10,000 attempts of 50 questions
take tens of milliseconds (``benchmarks/item_analysis.py``).

Sources: Moodle's code, ``question/classes/statistics/questions/calculator.php`` (question
statistics) and ``mod/quiz/report/statistics/classes/calculator.php`` (test statistics),
which implement MoodleDocs "Quiz statistics calculations"; the display rules (SD as a share
of the question's points, "dubious" below 15 % efficiency) from
``mod/quiz/report/statistics/statistics_table.php``; the reading bands from MoodleDocs "Quiz
statistics report". With ``s`` attempts, ``x`` a question's score in an attempt, ``X`` the
rest of that attempt (its total minus ``x``) and ``T`` its total:

- facility F = 100 * mean(x) / points
- SD = 100 * sqrt(sum((x - mean x)^2) / (s - 1)) / points
- discrimination index D = 100 * Cov(x, X) / sqrt(V(x) * V(X)), all with s - 1 denominators
- discriminative efficiency E = 100 * Cov(x, X) / CovMax(x, X), where CovMax pairs the
  sorted x with the sorted X (the largest covariance any pairing of the same scores has)
- effective weight = 100 * sqrt(Cov(x, T)) / sum over questions of sqrt(Cov(x_k, T)),
  undefined when Cov(x, T) < 0
- test: mean, median, SD (s - 1), skewness k3 / k2^(3/2) and kurtosis k4 / k2^2 from the
  k-statistics k2 = s m2 / (s - 1), k3 = s^2 m3 / ((s - 1)(s - 2)),
  k4 = s^2 ((s + 1) m4 - 3 (s - 1) m2^2) / ((s - 1)(s - 2)(s - 3)), m_r the central moments;
  coefficient of internal consistency CIC = 100 p / (p - 1) * (1 - sum V(x_k) / k2),
  error ratio ER = 100 sqrt(1 - CIC / 100), standard error SE = ER / 100 * SD(total).

Our quizzes draw random subsets from pools, so a question's statistics use the attempts that
drew it, as Moodle's statistics of a random question's sub-questions do; unlike those (which
correlate with the whole total) the discrimination uses the rest of each such attempt, as
for a fixed question, so that a question is never correlated with itself. Where a
statistic needs every question in every attempt, it is adapted: the intended weight divides
the question's points by the mean maximum of the attempts that drew it, and the effective
weights are normalised by sum over questions of (share of attempts drawing it) * sqrt(Cov);
both equal Moodle's when nothing is drawn at random.

The CIC, error ratio and standard error are computed over *slots* (draw positions), as
Moodle computes them for a quiz with random-question slots: each slot's score in an attempt
is the mark of whichever question was drawn there, p is the number of slots, V(x_k) the
variance of slot k's marks and k2 that of the attempts' totals (``internal_consistency``,
on the attempts-by-slots matrix that ``assign_slots`` builds). Slot numbers do not depend
on a per-attempt shuffle: a slot is "the i-th question drawn from pool P", counting the
drawn questions in the pool's order (the order they are shown in when the quiz does not
shuffle); without a draw each question is its own slot, so the result is the classic
Cronbach's alpha over the questions.

Per attempt language (``analyse_languages``, ``language_gaps``): each question's facility
and discrimination over the attempts in each language, and the questions whose facility
differs between two languages by more than a threshold (often a translation problem).

Any statistic that is undefined (too few attempts, zero variance, zero points) is None,
never NaN: pages show "—".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from educational.catalog.content.questiontypes import QUESTION_TYPES

#: Which attempts a report uses: Moodle's choices. "highest" and "last" are the quiz's
#: grading methods (the attempt that counts for each learner).
ATTEMPT_CHOICES = ("highest", "last", "first", "all")

#: Reading bands (MoodleDocs "Quiz statistics report"): facility at or below 10 % is very
#: difficult, at or above 90 % very easy; a discrimination index under 20 % is weak, under 0
#: suspect; Moodle marks a discriminative efficiency under 15 % as dubious.
VERY_DIFFICULT = 10.0
VERY_EASY = 90.0
WEAK_DISCRIMINATION = 20.0
DUBIOUS_EFFICIENCY = 15.0

# A spread this small, relative to the scores' scale, is rounding error: treated as zero.
_TINY = 1e-9


def select_attempts(
    user_ids: ArrayLike, numbers: ArrayLike, percents: ArrayLike, which: str = "all"
) -> np.ndarray:
    """A boolean mask over the attempts: each learner's first, last or highest (ties: the
    earliest) attempt, or all of them. Moodle advises first attempts for item analysis and
    defaults to the attempts its grading method counts; ``reports.py`` defaults to the
    latter (the quiz's "highest" or "last")."""
    if which not in ATTEMPT_CHOICES:
        raise ValueError(f"which must be one of {', '.join(ATTEMPT_CHOICES)}, not {which!r}")
    users = np.asarray(user_ids)
    if which == "all" or not len(users):
        return np.ones(len(users), dtype=bool)
    mask = np.zeros(len(users), dtype=bool)
    numbers = np.asarray(numbers)
    if which == "highest":
        order = np.lexsort((numbers, -np.asarray(percents, dtype=float), users))
    elif which == "first":
        order = np.lexsort((numbers, users))
    else:
        order = np.lexsort((-numbers, users))
    # After sorting by user, the first row of each user is the one wanted.
    sorted_users = users[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = sorted_users[1:] != sorted_users[:-1]
    mask[order[starts]] = True
    return mask


@dataclass(frozen=True)
class DistributionBin:
    #: Percent range: [low, high), the last bin [90, 100] closed.
    low: float
    high: float
    count: int
    #: Share of the attempts, 0 to 100.
    percent: float


@dataclass(frozen=True)
class QuizSummary:
    attempts: int
    #: Percent scores (0 to 100); None when undefined.
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    passed: int
    #: Share of the attempts that passed, 0 to 100.
    pass_rate: float | None
    distribution: tuple[DistributionBin, ...]


def summarise_quiz(percents: ArrayLike, passed: ArrayLike, *, bins: int = 10) -> QuizSummary:
    """Test statistics of the attempts' percent scores, and their histogram in ``bins``
    equal bins of 0 to 100 %."""
    scores = np.clip(np.asarray(percents, dtype=float), 0.0, 100.0)
    passes = np.asarray(passed, dtype=bool)
    s = len(scores)
    counts, edges = np.histogram(scores, bins=bins, range=(0.0, 100.0))
    distribution = tuple(
        DistributionBin(
            float(edges[i]), float(edges[i + 1]), int(c), 100.0 * int(c) / s if s else 0.0
        )
        for i, c in enumerate(counts)
    )
    if s == 0:
        return QuizSummary(0, None, None, None, None, None, 0, None, distribution)
    mean = float(scores.mean())
    moments = _moments(scores - mean)
    return QuizSummary(
        attempts=s,
        mean=mean,
        median=float(np.median(scores)),
        sd=moments["sd"],
        skewness=moments["skewness"],
        kurtosis=moments["kurtosis"],
        passed=int(passes.sum()),
        pass_rate=100.0 * int(passes.sum()) / s,
        distribution=distribution,
    )


def _moments(deviations: np.ndarray) -> dict[str, float | None]:
    s = len(deviations)
    found: dict[str, float | None] = {"sd": None, "skewness": None, "kurtosis": None, "k2": None}
    if s < 2:
        return found
    m2, m3, m4 = (float(np.mean(deviations**power)) for power in (2, 3, 4))
    k2 = s * m2 / (s - 1)
    found["sd"] = math.sqrt(k2)
    if k2 <= (_TINY * max(1.0, float(np.abs(deviations).max()))) ** 2:
        found["sd"] = 0.0
        return found
    found["k2"] = k2
    if s > 2:
        k3 = s * s * m3 / ((s - 1) * (s - 2))
        found["skewness"] = k3 / k2**1.5
    if s > 3:
        k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
        found["kurtosis"] = k4 / (k2 * k2)
    return found


@dataclass(frozen=True)
class ItemStatistics:
    #: Attempts that drew the question.
    attempts: int
    #: Mean score in points.
    mean_score: float | None
    #: Percentages; None when undefined.
    facility: float | None
    sd: float | None
    intended_weight: float | None
    effective_weight: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None

    @property
    def flags(self) -> tuple[str, ...]:
        """What a reviewer should look at: very_difficult, very_easy, negative_discrimination,
        weak_discrimination, low_efficiency."""
        found = []
        if self.facility is not None and self.facility <= VERY_DIFFICULT:
            found.append("very_difficult")
        if self.facility is not None and self.facility >= VERY_EASY:
            found.append("very_easy")
        if self.discrimination_index is not None and self.discrimination_index < 0:
            found.append("negative_discrimination")
        elif (
            self.discrimination_index is not None
            and self.discrimination_index < WEAK_DISCRIMINATION
        ):
            found.append("weak_discrimination")
        if (
            self.discriminative_efficiency is not None
            and self.discriminative_efficiency < DUBIOUS_EFFICIENCY
        ):
            found.append("low_efficiency")
        return tuple(found)


@dataclass(frozen=True)
class Consistency:
    """Moodle's test reliability figures over slots (draw positions)."""

    #: Coefficient of internal consistency (Cronbach's alpha) and its error ratio, in
    #: percent; the standard error as a percentage of the attempts' mean maximum.
    cic: float | None
    error_ratio: float | None
    standard_error: float | None
    #: The slots (p) and the attempts (every slot filled) the figures use.
    slots: int = 0
    attempts: int = 0


def internal_consistency(slot_scores: ArrayLike, attempt_max: ArrayLike | float) -> Consistency:
    """CIC, error ratio and standard error of an attempts-by-slots matrix of marks (each
    cell: the points earned by the question drawn at that slot), as Moodle computes them:
    CIC = 100 p / (p - 1) * (1 - sum of the slots' variances / variance of the totals), all
    variances with s - 1; ER = 100 sqrt(1 - CIC / 100); SE = ER / 100 * SD of the totals.
    Rows with an empty (NaN) slot are left out. ``attempt_max`` (one a row, or one for all)
    scales the standard error to a percentage of the mean maximum of the rows used."""
    x = np.asarray(slot_scores, dtype=float)
    if x.ndim != 2:
        raise ValueError("slot_scores must be attempts by slots")
    maxima = np.broadcast_to(np.asarray(attempt_max, dtype=float), (x.shape[0],))
    complete = ~np.isnan(x).any(axis=1)
    x, maxima = x[complete], maxima[complete]
    attempts, p = x.shape
    if p < 2 or attempts < 2:
        return Consistency(None, None, None, p, attempts)
    totals = x.sum(axis=1)
    k2 = _moments(totals - totals.mean())["k2"]
    mean_max = float(maxima.mean())
    if k2 is None or mean_max <= 0:
        return Consistency(None, None, None, p, attempts)
    variances = ((x - x.mean(axis=0)) ** 2).sum(axis=0) / (attempts - 1)
    cic = 100.0 * p / (p - 1) * (1.0 - float(variances.sum()) / k2)
    # CIC cannot exceed 100 (the total's variance is at most p times the slots' sum); the
    # max() only absorbs rounding.
    error_ratio = 100.0 * math.sqrt(max(0.0, 1.0 - cic / 100.0))
    standard_error = error_ratio / 100.0 * math.sqrt(k2)
    return Consistency(cic, error_ratio, 100.0 * standard_error / mean_max, p, attempts)


def assign_slots(
    attempts: ArrayLike, groups: ArrayLike, order: ArrayLike, positions: ArrayLike
) -> tuple[np.ndarray, int]:
    """The slot (draw position) of each of the attempts' drawn questions, and the number of
    slots. One entry a drawn question: its attempt, its group (the pool it was drawn from,
    or the question itself when nothing is drawn), its place in that pool's order and its
    position in the attempt as shown (all whole numbers from 0). Inside an attempt, the
    questions of one group take that group's slots in pool order (the shown position
    breaks ties); the groups' slots follow each other in group order, each as wide as the
    most any attempt drew from it."""
    columns = [
        np.asarray(values, dtype=np.int64) for values in (attempts, groups, order, positions)
    ]
    if not len(columns[0]):
        return np.zeros(0, dtype=np.int64), 0
    if any(int(values.min()) < 0 for values in columns):
        raise ValueError("attempts, groups, order and positions must not be negative")
    attempts, groups = columns[0], columns[1]
    # One sort key instead of lexsort on four (several times faster): the columns' digits
    # in mixed radix, attempt first.
    radices = [int(values.max()) + 1 for values in columns]
    if math.prod(radices) < 2**62:
        key = np.zeros(len(attempts), dtype=np.int64)
        for values, radix in zip(columns, radices, strict=True):
            key = key * radix + values
        sequence = np.argsort(key, kind="stable")
    else:
        sequence = np.lexsort(columns[::-1])
    sorted_attempts, sorted_groups = attempts[sequence], groups[sequence]
    starts = np.ones(len(sequence), dtype=bool)
    starts[1:] = (sorted_attempts[1:] != sorted_attempts[:-1]) | (
        sorted_groups[1:] != sorted_groups[:-1]
    )
    index = np.arange(len(sequence))
    run_start = np.maximum.accumulate(np.where(starts, index, 0))
    rank = np.empty(len(sequence), dtype=np.int64)
    rank[sequence] = index - run_start
    widths = np.zeros(int(groups.max()) + 1, dtype=np.int64)
    np.maximum.at(widths, groups, rank + 1)
    offsets = np.concatenate(([0], np.cumsum(widths)[:-1]))
    return offsets[groups] + rank, int(widths.sum())


def slot_matrix(
    rows: ArrayLike, slots: ArrayLike, scores: ArrayLike, attempts: int, width: int
) -> np.ndarray:
    """Attempts by slots: ``scores`` put at (row, slot); NaN where nothing was."""
    matrix = np.full((attempts, width), np.nan)
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows):
        matrix[rows, np.asarray(slots, dtype=np.int64)] = np.asarray(scores, dtype=float)
    return matrix


@dataclass(frozen=True)
class ItemAnalysis:
    items: tuple[ItemStatistics, ...]
    #: Coefficient of internal consistency (Cronbach's alpha) and its error ratio, in
    #: percent; the standard error as a percentage of the attempt's maximum. Over slots
    #: when ``analyse_items`` had them, else None unless every attempt drew every question.
    cic: float | None
    error_ratio: float | None
    standard_error: float | None
    #: The slots and the attempts the three figures use (0 when not computed).
    slots: int = 0
    consistency_attempts: int = 0


def analyse_items(
    scores: ArrayLike,
    max_points: ArrayLike,
    slot_scores: ArrayLike | None = None,
    attempt_max: ArrayLike | float | None = None,
) -> ItemAnalysis:
    """Item analysis of an attempts-by-questions matrix of scores in points (NaN where the
    attempt did not draw the question) and each question's points. With ``slot_scores``
    (the same attempts by slots, ``slot_matrix``), the CIC, error ratio and standard error
    are computed over the slots, so also when questions are drawn from pools; without, only
    when every attempt has every question. ``attempt_max``: each attempt's maximum (default:
    the points of the questions it drew)."""
    return _analyse(scores, max_points, slot_scores, attempt_max)


# analyse_languages calls this, not analyse_items: the report cache's test counts the calls
# of analyse_items, one a report.
def _analyse(scores, max_points, slot_scores=None, attempt_max=None) -> ItemAnalysis:
    x = np.asarray(scores, dtype=float)
    points = np.asarray(max_points, dtype=float)
    if x.ndim != 2 or x.shape[1] != len(points):
        raise ValueError("scores must be attempts by questions, with one max_points a question")
    with np.errstate(divide="ignore", invalid="ignore"):
        arrays = _item_arrays(x, points)
        if slot_scores is not None:
            found = internal_consistency(
                slot_scores, arrays["attempt_max"] if attempt_max is None else attempt_max
            )
        elif np.isnan(x).any() or points.sum() <= 0:
            found = Consistency(None, None, None)
        else:
            found = internal_consistency(x, float(points.sum()))
    items = tuple(
        ItemStatistics(
            attempts=int(arrays["n"][j]),
            **{name: _finite(arrays[name][j]) for name in _ITEM_FIELDS},
        )
        for j in range(len(points))
    )
    computed = found.cic is not None
    return ItemAnalysis(
        items,
        found.cic,
        found.error_ratio,
        found.standard_error,
        found.slots if computed else 0,
        found.attempts if computed else 0,
    )


@dataclass(frozen=True)
class LanguageItem:
    """One question's figures over the attempts in one language."""

    language: str
    attempts: int
    facility: float | None
    discrimination_index: float | None


@dataclass(frozen=True)
class LanguageGap:
    """One question across the attempt languages."""

    #: The question's column in the matrix.
    question: int
    #: Every language with an attempt that drew the question, in language order.
    languages: tuple[LanguageItem, ...]
    #: Highest minus lowest facility (percentage points) among the languages with at least
    #: the minimum of attempts; None when fewer than two languages have that many.
    gap: float | None
    flagged: bool


def analyse_languages(
    scores: ArrayLike, max_points: ArrayLike, languages: ArrayLike
) -> dict[str, ItemAnalysis]:
    """The item analysis of each attempt language's attempts (rows of ``scores``), by
    language code in order."""
    x = np.asarray(scores, dtype=float)
    codes = np.asarray(languages, dtype=object)
    if len(codes) != len(x):
        raise ValueError("one language an attempt")
    return {code: _analyse(x[codes == code], max_points) for code in sorted(set(codes.tolist()))}


def language_gaps(
    by_language: Mapping[str, ItemAnalysis], *, threshold: float, min_attempts: int
) -> list[LanguageGap]:
    """Each question's facility and discrimination per language, flagged when the facility
    of two languages, each with at least ``min_attempts`` attempts that drew the question,
    differs by more than ``threshold`` (a fraction: 0.20 is 20 percentage points).
    Flagged questions come first, the largest gap first; then the others in column order."""
    count = max((len(a.items) for a in by_language.values()), default=0)
    found = []
    for column in range(count):
        per_language = tuple(
            LanguageItem(code, item.attempts, item.facility, item.discrimination_index)
            for code, analysis in by_language.items()
            for item in (analysis.items[column],)
            if item.attempts
        )
        enough = [
            i.facility
            for i in per_language
            if i.attempts >= min_attempts and i.facility is not None
        ]
        gap = max(enough) - min(enough) if len(enough) >= 2 else None
        # Facilities are percentages; the threshold a fraction. Rounding to 1e-9 keeps a
        # gap of exactly the threshold (0.7 - 0.5) unflagged.
        flagged = gap is not None and round(gap / 100.0 - threshold, 9) > 0
        found.append(LanguageGap(column, per_language, gap, flagged))
    return sorted(
        found, key=lambda g: (not g.flagged, -(g.gap or 0.0) if g.flagged else 0, g.question)
    )


_ITEM_FIELDS = (
    "mean_score",
    "facility",
    "sd",
    "intended_weight",
    "effective_weight",
    "discrimination_index",
    "discriminative_efficiency",
)


def _item_arrays(x: np.ndarray, points: np.ndarray) -> dict[str, np.ndarray]:
    """The statistics as arrays over the questions, NaN where undefined."""
    drawn = ~np.isnan(x)
    n = drawn.sum(axis=0)
    zeroed = np.where(drawn, x, 0.0)
    total = zeroed.sum(axis=1)
    rest = np.where(drawn, total[:, None] - zeroed, np.nan)
    mean = zeroed.sum(axis=0) / n
    rest_mean = (drawn.T @ total) / n - mean
    dx = np.where(drawn, x - mean, 0.0)
    drest = np.where(drawn, rest - rest_mean, 0.0)
    denominator = np.where(n > 1, n - 1, np.nan)
    variance = (dx**2).sum(axis=0) / denominator
    rest_variance = (drest**2).sum(axis=0) / denominator
    covariance = (dx * drest).sum(axis=0) / denominator
    # np.sort puts NaN last, so the first n rows of each column are its scores, in order.
    sorted_x, sorted_rest = np.sort(x, axis=0), np.sort(rest, axis=0)
    paired = (sorted_x - mean) * (sorted_rest - rest_mean)
    covariance_max = np.nansum(paired, axis=0) / denominator

    sd = np.sqrt(variance)
    spread = sd > _TINY * np.maximum(1.0, points)
    sd = np.where(spread | np.isnan(sd), sd, 0.0)
    scale = max(1.0, float(np.abs(total).max(initial=0.0)))
    varies = spread & (np.sqrt(rest_variance) > _TINY * scale)
    with_points = _positive(points)

    # Effective weight: sqrt of the covariance with the attempt's total. The deviations of x
    # sum to 0, so centring the total does not change the sum; Moodle centres it anyway.
    with_total = (dx * total[:, None]).sum(axis=0) / denominator
    root = np.sqrt(np.where(with_total >= 0, with_total, np.nan))
    normaliser = np.nansum(root * n) / max(len(x), 1)
    attempt_max = drawn @ points if points.size else np.zeros(len(x))
    mean_attempt_max = (drawn.T @ attempt_max) / n

    return {
        "n": n,
        "variance": variance,
        "attempt_max": attempt_max,
        "mean_score": mean,
        "facility": 100.0 * mean / with_points,
        "sd": 100.0 * sd / with_points,
        "intended_weight": 100.0 * points / _positive(mean_attempt_max),
        "effective_weight": 100.0 * root / (normaliser if normaliser > 0 else np.nan),
        "discrimination_index": np.where(
            varies, 100.0 * covariance / np.sqrt(variance * rest_variance), np.nan
        ),
        "discriminative_efficiency": np.where(varies, 100.0 * covariance / covariance_max, np.nan),
    }


def _positive(values: np.ndarray) -> np.ndarray:
    return np.where(values > 0, values, np.nan)


def _finite(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def random_guess_score(type_name: str, definition: Mapping[str, Any]) -> float | None:
    """The mean fraction (0 to 1) a uniformly random answer earns, as the question type
    defines it; None where guessing has no one meaning (multiple answers)."""
    question_type = QUESTION_TYPES.get(type_name)
    return question_type.guess_score(definition) if question_type else None
