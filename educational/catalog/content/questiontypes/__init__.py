"""The question types: one class per type, each able to validate, lay out, read from a
form, grade and describe itself.

``QUESTION_TYPES["single"]`` and friends work on a question's ``definition``: the normalised
dict that ``validate`` builds from the YAML (see courses/README.md for the fields). Every
method is a classmethod; the classes hold no state. Adding a question type is adding a class
and an entry in ``QUESTION_TYPES``.

Grading never raises on what a learner sends: an answer of the wrong shape (None, a wrong
type, unknown or repeated ids, NaN, a huge string) scores 0. Stored numbers are ints or
floats; they are compared as Decimals made from their shortest repr, so a tolerance of 0.1
around 3.5 accepts "3.6" exactly, as the author meant.
"""

from .arrange import Matching, Ordering
from .base import MAX_ANSWER_LENGTH, TEXT_KEYS, GetList, Grade, QuestionType
from .choice import MultipleChoice, SingleChoice, TrueFalse
from .text import Numeric, ShortAnswer, parse_number

QUESTION_TYPES: dict[str, type[QuestionType]] = {
    cls.name: cls
    for cls in (SingleChoice, MultipleChoice, TrueFalse, Numeric, ShortAnswer, Matching, Ordering)
}

__all__ = [
    "MAX_ANSWER_LENGTH",
    "QUESTION_TYPES",
    "TEXT_KEYS",
    "GetList",
    "Grade",
    "QuestionType",
    "parse_number",
]
