"""Which questions an attempt gets, and in which order. Pure."""

import random
from collections.abc import Mapping, Sequence
from typing import Any


def draw_questions(
    pools: Sequence[Mapping[str, Any]],
    settings: Mapping[str, Any],
    available: set[str],
    rng: random.Random,
) -> list[str]:
    """The question keys of a new attempt: ``count`` drawn at random from each pool named in
    ``settings["draw"]``, or every question when there is no draw; shuffled when the quiz
    says so, else in pool order. Keys not in ``available`` (retired) are never drawn."""
    by_pool = {pool["id"]: [k for k in pool["questions"] if k in available] for pool in pools}
    if settings.get("draw"):
        keys: list[str] = []
        for draw in settings["draw"]:
            candidates = by_pool.get(draw["pool"], [])
            picked = rng.sample(candidates, min(draw["count"], len(candidates)))
            # Keep pool order inside a draw unless shuffling, so unshuffled quizzes read as written.
            keys.extend(sorted(picked, key=candidates.index))
    else:
        keys = [key for pool in pools for key in by_pool[pool["id"]]]
    if settings.get("shuffle_questions", True):
        rng.shuffle(keys)
    return keys
