"""The question types: validating YAML, grading answers, what learners may see."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from educational.catalog.content.fields import Fields
from educational.catalog.content.problems import Problem, Report
from educational.catalog.content.questiontypes import QUESTION_TYPES, Grade, parse_number
from educational.catalog.content.yamlsource import parse_mapping


def validate(type_name: str, text: str) -> tuple[dict[str, Any], list[str]]:
    """The type's definition of a question written in YAML, and the problems found."""
    problems: list[Problem] = []
    report = Report("q.yml", problems)
    node = parse_mapping(text, report)
    assert node is not None
    qtype = QUESTION_TYPES[type_name]
    fields = Fields(node, report, 'question "q"', allowed=qtype.keys, required=qtype.required)
    definition = qtype.validate(fields, 'question "q"')
    return definition, [str(problem) for problem in sorted(problems)]


def grade(type_name: str, definition: dict[str, Any], answer: object) -> Grade:
    return QUESTION_TYPES[type_name].grade(definition, answer)


SINGLE, _ = validate(
    "single",
    """
options:
  - {id: a, text: Nine}
  - {id: b, text: Eleven, correct: true, feedback: "Yes: eleven."}
  - {id: c, text: Thirteen, feedback: Too many.}
""",
)
MULTIPLE, _ = validate(
    "multiple",
    """
options:
  - {id: a, text: Mining, correct: true, feedback: Right.}
  - {id: b, text: Smelting, correct: true}
  - {id: c, text: Banking, feedback: No.}
  - {id: d, text: Baking}
""",
)
WEIGHTED, _ = validate(
    "multiple",
    """
options:
  - {id: a, text: Aluminium, correct: true, weight: 60}
  - {id: b, text: Copper, correct: true, weight: 40}
  - {id: c, text: Wood, weight: -50, feedback: Not a metal.}
""",
)
TRUE_FALSE, _ = validate("true_false", "answer: false\nfeedback_true: No.\nfeedback_false: Yes.")
NUMERIC, _ = validate(
    "numeric",
    """
answers:
  - {value: 3.5, tolerance: 0.1, feedback: Right.}
  - {value: 3.5, tolerance: 1, weight: 50, feedback: Close.}
  - {value: -2, weight: 0, feedback: Wrong sign.}
""",
)
SHORT, _ = validate(
    "short",
    """
answers:
  - {text: Aluminium}
  - {pattern: "alumin(i)?um", weight: 80, feedback: Check the spelling.}
""",
)
SHORT_CASE, _ = validate("short", "case_sensitive: true\nanswers:\n  - {text: ASI}\n")
MATCHING, _ = validate(
    "matching",
    """
pairs:
  - {id: ps, prompt: PS, match: Performance Standard}
  - {id: coc, prompt: COC, match: Chain of Custody}
distractors: [Code of Conduct]
""",
)
ORDERING, _ = validate(
    "ordering",
    "items:\n  - {id: plan, text: Plan}\n  - {id: audit, text: Audit}\n"
    "  - {id: report, text: Report}\n",
)

DEFINITIONS = {
    "single": SINGLE,
    "multiple": MULTIPLE,
    "true_false": TRUE_FALSE,
    "numeric": NUMERIC,
    "short": SHORT,
    "matching": MATCHING,
    "ordering": ORDERING,
}

MALFORMED = [
    None,
    True,
    0,
    math.nan,
    math.inf,
    "",
    "x" * 100_000,
    [],
    ["zz"],
    ["a", "a"],
    {"zz": "x"},
    [["a"]],
    frozenset({"zz"}),
    object(),
]


def test_the_registry_has_one_class_per_type() -> None:
    assert list(QUESTION_TYPES) == [
        "single",
        "multiple",
        "true_false",
        "numeric",
        "short",
        "matching",
        "ordering",
    ]
    assert all(cls.name == name for name, cls in QUESTION_TYPES.items())


# single


def test_single_grades_all_or_nothing_with_the_option_feedback() -> None:
    assert grade("single", SINGLE, "b") == Grade(1.0, ["Yes: eleven."])
    assert grade("single", SINGLE, "c") == Grade(0.0, ["Too many."])
    assert grade("single", SINGLE, "a") == Grade(0.0, [])


# multiple


@pytest.mark.parametrize(
    ("answer", "fraction"),
    [
        (["a", "b"], 1.0),
        (("b", "a"), 1.0),
        ({"a", "b"}, 1.0),
        (["a"], 0.5),
        (["a", "b", "c"], 0.5),  # two right (+100), one of two wrong (-50)
        (["a", "c"], 0.0),  # +50 - 50
        (["a", "c", "d"], 0.0),  # clamped at 0
        ([], 0.0),
    ],
)
def test_multiple_without_weights_shares_plus_and_minus_100(
    answer: object, fraction: float
) -> None:
    assert grade("multiple", MULTIPLE, answer).fraction == fraction


def test_multiple_feedback_lists_the_chosen_options_in_option_order() -> None:
    assert grade("multiple", MULTIPLE, ["c", "a"]).feedback == ["Right.", "No."]


@pytest.mark.parametrize(
    ("answer", "fraction"),
    [(["a", "b"], 1.0), (["a"], 0.6), (["b"], 0.4), (["a", "c"], 0.1), (["c"], 0.0)],
)
def test_multiple_with_weights_sums_the_chosen_weights(answer: object, fraction: float) -> None:
    assert grade("multiple", WEIGHTED, answer).fraction == pytest.approx(fraction)


def test_multiple_with_all_weights_chosen_is_clamped_to_the_range() -> None:
    assert grade("multiple", WEIGHTED, ["a", "b", "c"]) == Grade(0.5, ["Not a metal."])


# true_false


def test_true_false_takes_a_bool_only() -> None:
    assert grade("true_false", TRUE_FALSE, False) == Grade(1.0, ["Yes."])
    assert grade("true_false", TRUE_FALSE, True) == Grade(0.0, ["No."])
    assert grade("true_false", TRUE_FALSE, "false").fraction == 0.0
    assert grade("true_false", TRUE_FALSE, 0).fraction == 0.0


# numeric


@pytest.mark.parametrize(
    ("answer", "fraction"),
    [
        ("3.5", 1.0),
        (" 3,5 ", 1.0),
        ("3.6", 1.0),  # exactly at the tolerance
        ("3.4", 1.0),
        ("+3.40", 1.0),
        ("35e-1", 1.0),
        (".35E1", 1.0),
        ("3.6000001", 0.5),  # just outside: the wider answer matches
        ("3.3999999", 0.5),
        ("4.5", 0.5),
        ("4.5000001", 0.0),
        ("-2", 0.0),
        ("1e9999", 0.0),
        (3.5, 1.0),
        (4, 0.5),
    ],
)
def test_numeric_takes_the_best_matching_answer(answer: object, fraction: float) -> None:
    assert grade("numeric", NUMERIC, answer).fraction == fraction


def test_numeric_feedback_is_the_best_answers() -> None:
    assert grade("numeric", NUMERIC, "3.55").feedback == ["Right."]
    assert grade("numeric", NUMERIC, "4").feedback == ["Close."]
    assert grade("numeric", NUMERIC, "-2") == Grade(0.0, ["Wrong sign."])


def test_numeric_large_values_use_exact_decimals() -> None:
    definition = {"answers": [{"value": 1000, "tolerance": 0, "weight": 100, "feedback": ""}]}
    assert grade("numeric", definition, "1e3").fraction == 1.0
    assert grade("numeric", definition, "1000.0000000000000001").fraction == 0.0


@pytest.mark.parametrize(
    "answer",
    ["three", "3.5abc", "3 .5", "1,000.5", "nan", "inf", "-", "", "١٢", "1e99999", "9" * 400],
)
def test_numeric_rejects_what_is_not_a_number(answer: str) -> None:
    assert parse_number(answer) is None
    assert grade("numeric", NUMERIC, answer) == Grade(0.0, [])


# short


@pytest.mark.parametrize(
    ("answer", "fraction"),
    [
        ("Aluminium", 1.0),
        ("  aluminium\n", 1.0),
        ("ALUMINIUM", 1.0),
        ("aluminum", 0.8),
        ("Aluminum", 0.8),
        ("aluminium foil", 0.0),  # a pattern matches in full, not a part
        ("alu", 0.0),
    ],
)
def test_short_matches_text_and_patterns_without_case(answer: str, fraction: float) -> None:
    assert grade("short", SHORT, answer).fraction == fraction


def test_short_feedback_and_case_sensitivity() -> None:
    assert grade("short", SHORT, "aluminum").feedback == ["Check the spelling."]
    assert grade("short", SHORT_CASE, " ASI ").fraction == 1.0
    assert grade("short", SHORT_CASE, "asi").fraction == 0.0


# matching


@pytest.mark.parametrize(
    ("answer", "fraction"),
    [
        ({"ps": "Performance Standard", "coc": "Chain of Custody"}, 1.0),
        ({"ps": "Performance Standard", "coc": "Code of Conduct"}, 0.5),
        ({"ps": "Performance Standard"}, 0.5),
        ({"ps": "Chain of Custody", "coc": "Performance Standard"}, 0.0),
        ({"ps": ["Performance Standard"], "coc": "Chain of Custody"}, 0.5),
        ({"ps": "Performance Standard", "xx": "Chain of Custody"}, 0.0),  # unknown pair id
    ],
)
def test_matching_scores_the_share_of_pairs_matched(answer: object, fraction: float) -> None:
    assert grade("matching", MATCHING, answer).fraction == fraction


# ordering


@pytest.mark.parametrize(
    ("answer", "fraction"),
    [
        (["plan", "audit", "report"], 1.0),
        (("plan", "audit", "report"), 1.0),
        (["plan", "report", "audit"], 1 / 3),
        (["report", "audit", "plan"], 1 / 3),
        (["audit", "report", "plan"], 0.0),
        (["plan", "audit"], 0.0),  # not a permutation
        (["plan", "plan", "report"], 0.0),
        (["plan", "audit", "report", "extra"], 0.0),
    ],
)
def test_ordering_scores_the_share_of_items_in_place(answer: object, fraction: float) -> None:
    assert grade("ordering", ORDERING, answer).fraction == fraction


# Every type


@pytest.mark.parametrize("type_name", list(QUESTION_TYPES))
@pytest.mark.parametrize("answer", MALFORMED, ids=repr)
def test_malformed_answers_score_zero(type_name: str, answer: object) -> None:
    assert grade(type_name, DEFINITIONS[type_name], answer).fraction == 0.0


@pytest.mark.parametrize("type_name", list(QUESTION_TYPES))
def test_the_correct_answer_scores_full_marks(type_name: str) -> None:
    qtype = QUESTION_TYPES[type_name]
    definition = DEFINITIONS[type_name]

    assert qtype.grade(definition, qtype.correct_answer(definition)).fraction == 1.0


def test_correct_answers_for_review_pages() -> None:
    correct = {name: QUESTION_TYPES[name].correct_answer(d) for name, d in DEFINITIONS.items()}

    assert correct == {
        "single": "b",
        "multiple": ["a", "b"],
        "true_false": False,
        "numeric": "3.5",
        "short": "Aluminium",
        "matching": {"ps": "Performance Standard", "coc": "Chain of Custody"},
        "ordering": ["plan", "audit", "report"],
    }


def test_public_views_hide_correctness_weights_answers_and_feedback() -> None:
    views = {name: QUESTION_TYPES[name].public_view(d) for name, d in DEFINITIONS.items()}

    assert views == {
        "single": {
            "options": [
                {"id": "a", "text": "Nine"},
                {"id": "b", "text": "Eleven"},
                {"id": "c", "text": "Thirteen"},
            ]
        },
        "multiple": {
            "options": [
                {"id": "a", "text": "Mining"},
                {"id": "b", "text": "Smelting"},
                {"id": "c", "text": "Banking"},
                {"id": "d", "text": "Baking"},
            ]
        },
        "true_false": {},
        "numeric": {},
        "short": {},
        "matching": {
            "prompts": [{"id": "ps", "prompt": "PS"}, {"id": "coc", "prompt": "COC"}],
            "choices": ["Chain of Custody", "Code of Conduct", "Performance Standard"],
        },
        "ordering": {  # sorted by text, not in the (correct) given order
            "items": [
                {"id": "audit", "text": "Audit"},
                {"id": "plan", "text": "Plan"},
                {"id": "report", "text": "Report"},
            ]
        },
    }
    assert QUESTION_TYPES["multiple"].public_view(WEIGHTED)["options"][2] == {
        "id": "c",
        "text": "Wood",
    }


answers = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["a", "b", "ps", "plan", "3.5", "Aluminium"]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.text(max_size=5) | st.sampled_from(["ps", "coc"]), children, max_size=4
        )
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(type_name=st.sampled_from(list(QUESTION_TYPES)), answer=answers)
def test_grading_never_raises_and_stays_between_0_and_1(type_name: str, answer: object) -> None:
    result = grade(type_name, DEFINITIONS[type_name], answer)

    assert 0.0 <= result.fraction <= 1.0
    assert all(isinstance(text, str) and text for text in result.feedback)


# Validation


def test_the_example_definitions_are_valid() -> None:
    problems = [
        validate(name, text)[1]
        for name, text in [
            ("single", "options: [{id: a, text: A, correct: true}, {id: b, text: B}]"),
            ("ordering", "items: [{id: a, text: A}, {id: b, text: B}]"),
        ]
    ]
    assert problems == [[], []]


def test_validation_reports_with_line_numbers() -> None:
    _, problems = validate(
        "single",
        "options:\n  - {id: a, text: A, correct: yes-please}\n"
        "  - {id: B, text: B}\n  - {text: C}\n",
    )

    assert problems == [
        'q.yml:1: question "q" of type single needs exactly one correct option; it has 0',
        'q.yml:2: "correct" must be true or false; it is "yes-please"',
        'q.yml:3: "id" is "B", which is not valid: use lower-case letters, digits and '
        "hyphens, starting with a letter or digit",
        'q.yml:4: option 3 of question "q" is missing the required key "id"',
    ]


def test_validation_of_numeric_and_short_answers() -> None:
    _, numeric = validate(
        "numeric", "answers:\n  - {value: x, tolerance: -1}\n  - {value: .nan, weight: 101}\n"
    )
    _, short = validate("short", "answers:\n  - {weight: 100}\n  - {pattern: '[a-'}\n")

    assert numeric == [
        'q.yml:2: "tolerance" must be a number of at least 0; it is -1',
        'q.yml:2: "value" must be a number; it is "x"',
        'q.yml:3: "value" must be a number; it is .nan',
        'q.yml:3: "weight" must be a number from 0 to 100; it is 101',
    ]
    assert short == [
        'q.yml:2: answer 1 of question "q" needs either "text" or "pattern"',
        'q.yml:3: the pattern of answer 2 of question "q" is not a valid regular expression: '
        "unterminated character set",
    ]


def test_validation_of_matching_and_ordering_sizes() -> None:
    _, matching = validate("matching", "pairs:\n  - {id: a, prompt: A, match: X}\n")
    _, ordering = validate("ordering", "items: one, two\n")

    assert matching == ['q.yml:2: "pairs" of question "q" needs at least 2 items; it has 1']
    assert ordering == ['q.yml:1: "items" must be a list; it is "one, two"']


@pytest.mark.parametrize(
    "imports",
    [
        "import educational.catalog.content.questiontypes; import educational.catalog.content",
        "import educational.catalog.content; import educational.catalog.content.questiontypes",
    ],
)
def test_either_module_can_be_imported_first(imports: str) -> None:
    # questiontypes reads YAML through catalog.content's fields module, and catalog.content
    # checks questions through questiontypes: either may be the first one imported.
    project = Path(__file__).parents[2]
    completed = subprocess.run(
        [sys.executable, "-c", imports], cwd=project, capture_output=True, text=True, check=False
    )

    assert completed.returncode == 0, completed.stderr
