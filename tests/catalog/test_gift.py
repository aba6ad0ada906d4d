"""The GIFT converter: every construct of fixtures/all-constructs.gift, problems, YAML, CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from educational.catalog.gift import GiftConversion, convert_gift, dump_quiz_yaml, main
from educational.catalog.gift.choice import option_id
from educational.catalog.gift.markup import html_to_markdown

FIXTURES = Path(__file__).parent / "fixtures"
ALL_CONSTRUCTS = FIXTURES / "all-constructs.gift"
SYNTAX_ERRORS = FIXTURES / "syntax-errors.gift"


def convert_file(path: Path) -> GiftConversion:
    return convert_gift(path.read_text(encoding="utf-8"))


def questions_by_id(quiz: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {question["id"]: question for pool in quiz["pools"] for question in pool["questions"]}


def only_question(text: str) -> dict[str, Any]:
    """The one question a small GIFT text converts to."""
    conversion = convert_gift(text)
    assert conversion.problems == []
    assert conversion.skipped == []
    [pool] = conversion.quiz["pools"]
    [question] = pool["questions"]
    return question


def skip_reason(text: str) -> str:
    conversion = convert_gift(text)
    assert conversion.problems == []
    [(line, reason)] = conversion.skipped
    assert line == 1
    return reason


def tf(question_id: str, text: str, answer: bool) -> dict[str, Any]:
    """A true/false question without feedback, as expected from the fixture."""
    return {"id": question_id, "type": "true_false", "points": 1, "text": text, "answer": answer}


# Each question of all-constructs.gift, as it must convert.
EXPECTED_QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "grant-s-tomb",
        "type": "single",
        "points": 1,
        "text": "Who is buried in Grant's tomb?",
        "options": [
            {"id": "a", "text": "Grant", "feedback": "No, he was entombed."},
            {"id": "b", "text": "Jefferson"},
            {
                "id": "c",
                "text": "no one",
                "correct": True,
                "feedback": "Right: nobody is buried there.",
            },
        ],
    },
    {
        "id": "q-default-2",
        "type": "single",
        "points": 1,
        "text": "Grant is ____ in Grant's tomb.",
        "options": [
            {"id": "a", "text": "buried"},
            {"id": "b", "text": "entombed", "correct": True},
            {"id": "c", "text": "living"},
        ],
    },
    {
        "id": "evidence",
        "type": "multiple",
        "points": 1,
        "text": "Which of these are audit evidence?",
        "options": [
            {"id": "a", "text": "Records", "correct": True, "weight": 50},
            {
                "id": "b",
                "text": "Interviews",
                "correct": True,
                "weight": 50,
                "feedback": "Recorded ones.",
            },
            {"id": "c", "text": "Rumours", "weight": -100, "feedback": "Hearsay is not evidence."},
            {"id": "d", "text": "Opinions", "weight": 0},
        ],
        "feedback": "Evidence must be verifiable.",
    },
    {
        "id": "independence",
        "type": "true_false",
        "points": 1,
        "text": "An auditor must be independent of the audited entity.",
        "answer": True,
        "feedback_true": "Correct.",
        "feedback_false": "Independence is required.",
    },
    {
        "id": "sun",
        "type": "true_false",
        "points": 1,
        "text": "The sun rises in the west.",
        "answer": False,
        "feedback_true": "It rises in the east.",
        "feedback_false": "Right.",
    },
    tf("q-audit-principles-4", "The standard has eleven principles.", True),
    tf("q-audit-principles-5", "Auditors may accept gifts.", False),
    {
        "id": "capital",
        "type": "short",
        "points": 1,
        "text": "What is the capital of France?",
        "answers": [
            {"text": "Paris", "weight": 100, "feedback": "Yes."},
            {"text": "Lutetia", "weight": 50, "feedback": "That was its Roman name."},
            {"pattern": "Par.*s", "weight": 100},
        ],
    },
    {
        "id": "near-2-5",
        "type": "numeric",
        "points": 1,
        "text": "Give a value near 2.5.",
        "answers": [{"value": 2.5, "tolerance": 0.1, "weight": 100}],
    },
    {
        "id": "q-audit-principles-8",
        "type": "numeric",
        "points": 1,
        "text": "Pick a number from 1 to 5.",
        "answers": [{"value": 3, "tolerance": 2, "weight": 100}],
    },
    {
        "id": "q-audit-principles-9",
        "type": "numeric",
        "points": 1,
        "text": "When was the standard first published?",
        "answers": [
            {"value": 2000, "tolerance": 0, "weight": 100, "feedback": "Exactly."},
            {"value": 1998, "tolerance": 2, "weight": 50, "feedback": "Close."},
        ],
    },
    tf("q-audit-principles-10", 'Is this back in the first "Audit principles" pool?', True),
    {
        "id": "matching",
        "type": "matching",
        "points": 1,
        "text": "Match each document to its purpose.",
        "pairs": [
            {"id": "p1", "prompt": "Certificate", "match": "proves conformance"},
            {"id": "p2", "prompt": "Audit report", "match": "records findings"},
        ],
        "distractors": ["sells aluminium"],
    },
    tf("html", "Is **this** *HTML*?", True),
    tf("moodle-format", "Is this Moodle's own format?", True),
    tf("markdown", "Is **this** Markdown?", True),
    tf("plain", "Is this plain text?", True),
    {
        "id": "escapes-all-of-them",
        "type": "single",
        "points": 1,
        "text": "Is 1 = 1 in {a} ~ b # c \\ d?\nSay so.",
        "options": [
            {"id": "a", "text": "yes = right", "correct": True, "feedback": "it is # one"},
            {"id": "b", "text": "no"},
        ],
    },
    tf("grant-s-tomb-2", "Is Grant buried in his tomb?", False),
    tf("qualite", "Lisez la question.\nEst-ce « vrai » ?", True),
    tf("q-audit-principles-2-1", 'Is this in the second "Audit principles" pool?', True),
]

EXPECTED_POOLS = [
    ("default", "Default", ["grant-s-tomb", "q-default-2"]),
    (
        "audit-principles",
        "Audit principles",
        [
            "evidence",
            "independence",
            "sun",
            "q-audit-principles-4",
            "q-audit-principles-5",
            "capital",
            "near-2-5",
            "q-audit-principles-8",
            "q-audit-principles-9",
            "q-audit-principles-10",
        ],
    ),
    (
        "chain-of-custody",
        "Chain of custody",
        [
            "matching",
            "html",
            "moodle-format",
            "markdown",
            "plain",
            "escapes-all-of-them",
            "grant-s-tomb-2",
            "qualite",
        ],
    ),
    ("audit-principles-2", "Audit principles", ["q-audit-principles-2-1"]),
]

EXPECTED_SKIPPED = [
    (91, 'essay question "Essay" cannot be converted: essays are not graded automatically'),
    (
        94,
        'description "This text introduces the next questions." cannot be converted: '
        "it has no answers to grade; put its text in a module instead",
    ),
    (
        97,
        'multiple-choice question "Which colour is the sky?" has no right answer: '
        "mark it with =, or give the right answers a positive ~%n% weight",
    ),
    (
        100,
        'single-choice question "Pick one." has 2 answers worth 100%; '
        "it needs exactly one: keep one = answer",
    ),
    (
        103,
        'single-choice question "Pick the best." gives partial credit (~%n%) next to its = '
        "answer, which our all-or-nothing single-choice questions cannot: remove the ~%n% weights",
    ),
    (
        106,
        'numeric question "How many principles?" has feedback for any other answer (~), which '
        "our numeric questions cannot hold: remove the ~ part, or move it to the general "
        "feedback (####)",
    ),
    (109, 'numeric question "How many sectors?" has "ten" where a number should be'),
]


@pytest.fixture(scope="module")
def conversion() -> GiftConversion:
    return convert_file(ALL_CONSTRUCTS)


def test_all_constructs_has_no_problems(conversion: GiftConversion) -> None:
    assert conversion.problems == []
    assert conversion.question_count == len(EXPECTED_QUESTIONS)


def test_categories_become_pools(conversion: GiftConversion) -> None:
    pools = [
        (pool["id"], pool["title"], [question["id"] for question in pool["questions"]])
        for pool in conversion.quiz["pools"]
    ]
    assert pools == EXPECTED_POOLS
    assert conversion.quiz["title"] == "Imported GIFT questions"
    assert set(conversion.quiz) == {"title", "pools"}


@pytest.mark.parametrize("expected", EXPECTED_QUESTIONS, ids=lambda question: question["id"])
def test_each_question_converts_exactly(
    conversion: GiftConversion, expected: dict[str, Any]
) -> None:
    assert questions_by_id(conversion.quiz)[expected["id"]] == expected


def test_skipped_questions_are_listed_with_their_lines(conversion: GiftConversion) -> None:
    assert conversion.skipped == EXPECTED_SKIPPED


def test_every_converted_question_fits_the_quiz_format(conversion: GiftConversion) -> None:
    # The rules of courses/README.md that GIFT questions could break.
    all_ids = [
        question["id"] for pool in conversion.quiz["pools"] for question in pool["questions"]
    ]
    assert len(all_ids) == len(set(all_ids))
    for question_id in all_ids:
        assert question_id.replace("-", "").isalnum() and question_id == question_id.lower()
    for question in questions_by_id(conversion.quiz).values():
        if question["type"] == "single":
            assert sum(bool(option.get("correct")) for option in question["options"]) == 1
        if question["type"] == "multiple":
            assert any(option.get("correct") for option in question["options"])
            assert all(-100 <= option["weight"] <= 100 for option in question["options"])
        if question["type"] in ("single", "multiple"):
            assert len(question["options"]) >= 2
        if question["type"] in ("numeric", "short"):
            assert any(answer["weight"] == 100 for answer in question["answers"])
        if question["type"] == "matching":
            assert len(question["pairs"]) >= 2


def test_syntax_problems_name_their_lines() -> None:
    conversion = convert_file(SYNTAX_ERRORS)
    assert conversion.problems == [
        (6, "{ is not closed: end the answers with } before the blank line that ends the question"),
        (11, "} has no matching {: write \\} for a literal brace"),
        (15, "{ inside the answers: close them with } first, or write \\{ for a literal brace"),
        (18, "a question has only one {…} answer block: write \\{ and \\} for literal braces"),
        (21, "the question title is not closed: write it as ::Title::"),
        (24, "$CATEGORY: needs a category name, e.g. $CATEGORY: audit/scope"),
    ]
    assert [question["id"] for question in questions_by_id(conversion.quiz).values()] == ["fine"]


# Escapes, format markers and other details, one small question at a time.


@pytest.mark.parametrize(
    ("gift", "text"),
    [
        ("Tilde \\~ here{T}", "Tilde ~ here"),
        ("Equals \\= here{T}", "Equals = here"),
        ("Hash \\# here{T}", "Hash # here"),
        ("Braces \\{ and \\} here{T}", "Braces { and } here"),
        ("Colon \\: here{T}", "Colon : here"),
        ("Backslash \\\\ here{T}", "Backslash \\ here"),
        ("Line\\nbreak{T}", "Line\nbreak"),
        ("Not an escape \\d stays{T}", "Not an escape \\d stays"),
        ("A URL http://example.org stays{T}", "A URL http://example.org stays"),
    ],
)
def test_escaped_characters(gift: str, text: str) -> None:
    assert only_question(gift)["text"] == text


def test_escaped_backslash_before_a_marker_leaves_the_marker() -> None:
    question = only_question("Pick{=a\\\\ ~b}")
    assert [option["text"] for option in question["options"]] == ["a\\", "b"]


def test_escaped_markers_inside_answers_are_text() -> None:
    question = only_question("Which?{=a \\~ b \\= c ~d}")
    assert [option["text"] for option in question["options"]] == ["a ~ b = c", "d"]


@pytest.mark.parametrize(
    ("gift", "answer"), [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)]
)
def test_true_false_spellings(gift: str, answer: bool) -> None:
    assert only_question("Statement." + gift)["answer"] is answer


def test_true_false_with_only_wrong_answer_feedback() -> None:
    question = only_question("Statement.{F#Wrong, it is false.}")
    assert question["feedback_true"] == "Wrong, it is false."
    assert "feedback_false" not in question


def test_lower_case_true_is_a_short_answer_as_in_moodle() -> None:
    question = only_question("Say it.{true}")
    assert question["type"] == "short"
    assert question["answers"] == [{"text": "true", "weight": 100}]


def test_single_answer_without_equals_is_a_short_answer() -> None:
    assert only_question("Capital of France?{Paris}")["answers"] == [
        {"text": "Paris", "weight": 100}
    ]


def test_escaped_star_in_a_short_answer_is_a_literal_star() -> None:
    assert only_question("Star?{=a\\*b}")["answers"] == [{"text": "a*b", "weight": 100}]


def test_wildcard_pattern_escapes_the_rest() -> None:
    assert only_question("Price?{=$1.50 * each}")["answers"] == [
        {"pattern": "\\$1\\.50 .* each", "weight": 100}
    ]


def test_one_positive_weight_without_equals_is_multiple_as_in_moodle() -> None:
    question = only_question("Which?{~%100%right ~%-50%wrong}")
    assert question["type"] == "multiple"
    assert question["options"] == [
        {"id": "a", "text": "right", "correct": True, "weight": 100},
        {"id": "b", "text": "wrong", "weight": -50},
    ]


def test_negative_weights_of_a_single_choice_are_dropped() -> None:
    question = only_question("Which?{=right ~%-50%wrong}")
    assert question["options"] == [
        {"id": "a", "text": "right", "correct": True},
        {"id": "b", "text": "wrong"},
    ]


def test_decimal_weights_and_numbers_stay_exact() -> None:
    question = only_question("Which?{~%33.3%a ~%66.7%b ~c}")
    assert [option["weight"] for option in question["options"]] == [33.3, 66.7, 0]
    numeric = only_question("Range?{#0.1..0.3}")
    assert numeric["answers"] == [{"value": 0.2, "tolerance": 0.1, "weight": 100}]


def test_numeric_negative_range_and_single_answer_feedback() -> None:
    question = only_question("Below zero?{#-5..-1#Cold.}")
    assert question["answers"] == [
        {"value": -3, "tolerance": 2, "weight": 100, "feedback": "Cold."}
    ]


def test_general_feedback_on_every_type() -> None:
    assert only_question("True?{T####Because.}")["feedback"] == "Because."
    assert only_question("Number?{#3####Three.}")["feedback"] == "Three."


def test_missing_word_blank_in_the_middle_and_at_the_start() -> None:
    assert only_question("The {=sun ~moon} rises.")["text"] == "The ____ rises."
    assert only_question("{=Paris ~Rome} is in France.")["text"] == "____ is in France."


def test_white_space_after_the_answers_leaves_no_blank() -> None:
    assert only_question("Is it right?  {T}  ")["text"] == "Is it right?"


def test_format_markers_apply_to_answers_and_feedback() -> None:
    question = only_question("[html]<i>Pick</i>{=<b>bold</b>#<p>yes</p> ~[plain]<b>raw</b>}")
    assert question["text"] == "*Pick*"
    assert question["options"] == [
        {"id": "a", "text": "**bold**", "correct": True, "feedback": "yes"},
        {"id": "b", "text": "<b>raw</b>"},
    ]


def test_html_to_markdown() -> None:
    html = (
        "<h2>Title</h2><p>One&nbsp;&amp; <strong>two </strong>three<br>four</p>"
        "<ul><li>a <code>x</code></li><li><a href='https://e.org'>link</a></li></ul>"
        "<ol><li>first</li><li>second</li></ol><img src='p.png' alt='P'>"
        "<script>alert(1)</script><pre>  keep\n  this</pre>"
    )
    assert html_to_markdown(html) == (
        "## Title\n\nOne\xa0& **two** three\n\nfour\n\n- a `x`\n- [link](https://e.org)\n\n"
        "1. first\n2. second\n\n![P](p.png)\n\n```\n  keep\n  this\n```"
    )


def test_malformed_html_is_kept_as_written() -> None:
    assert html_to_markdown("<![foo[bar]]> text") == "<![foo[bar]]> text"


def test_category_line_directly_followed_by_a_question() -> None:
    conversion = convert_gift("$CATEGORY: Scope\nIn scope?{T}")
    assert conversion.problems == []
    [pool] = conversion.quiz["pools"]
    assert (pool["id"], pool["title"]) == ("scope", "Scope")
    assert pool["questions"][0]["id"] == "q-scope-1"


def test_double_slash_in_a_category_name_is_a_slash() -> None:
    conversion = convert_gift("$CATEGORY: top/Input//output\n\nQ?{T}")
    [pool] = conversion.quiz["pools"]
    assert (pool["id"], pool["title"]) == ("input-output", "Input/output")


def test_titles_and_categories_without_ascii_fall_back_to_numbered_ids() -> None:
    conversion = convert_gift("$CATEGORY: 审核\n\n::原则::原则?{T}")
    [pool] = conversion.quiz["pools"]
    assert pool["id"] == "pool-1"
    assert pool["questions"][0]["id"] == "q-pool-1-1"


def test_windows_line_endings_and_a_byte_order_mark() -> None:
    conversion = convert_gift("\ufeff// comment\r\n::A::First?{T}\r\n\r\nSecond?\r\n{F}\r\n")
    questions = questions_by_id(conversion.quiz)
    assert list(questions) == ["a", "q-default-2"]
    assert questions["q-default-2"]["text"] == "Second?"


def test_comment_lines_inside_a_question_are_dropped() -> None:
    question = only_question("Which?{\n// the right one\n=a\n// a wrong one\n~b\n}")
    assert [option["text"] for option in question["options"]] == ["a", "b"]


def test_option_ids_go_on_after_z() -> None:
    assert [option_id(index) for index in (0, 1, 25, 26, 27, 51, 52)] == [
        "a",
        "b",
        "z",
        "aa",
        "ab",
        "az",
        "ba",
    ]


@pytest.mark.parametrize(
    ("gift", "reason"),
    [
        ("{=a ~b}", "question (untitled) has no text: write the question before its {"),
        ("Pick.{= #no answer}", 'short-answer question "Pick." has an empty answer'),
        ("Pick.{~only}", 'multiple-choice question "Pick." needs at least two answers'),
        ("Pick.{=a ~}", 'multiple-choice question "Pick." has an answer with no text'),
        (
            "Pick.{junk =a ~b}",
            'multiple-choice question "Pick." has text before its first answer: '
            "start every answer with = (right) or ~ (wrong)",
        ),
        (
            "Pick.{~%150%a =b}",
            'question "Pick." has a weight of 150%; weights go from -100 to 100',
        ),
        (
            "Say.{=%50%half}",
            'short-answer question "Say." has no answer worth 100%: '
            "drop the %n% weight of the best one",
        ),
        ("Say.{=%-10%no =yes}", 'question "Say." has a weight of -10%; weights go from 0 to 100'),
        ("Match.{=a -> b}", 'matching question "Match." needs at least two pairs'),
        (
            "Match.{=a -> b =c -> d =e}",
            'matching question "Match." has a pair without a match: write =prompt -> match',
        ),
        (
            "Match.{junk =a -> b =c -> d}",
            'matching question "Match." has text before its first pair: '
            "start every pair with =, as in =prompt -> match",
        ),
        ("N?{#5..1}", 'numeric question "N?" has the range 5..1, which ends too low'),
        ("N?{#5:-1}", 'numeric question "N?" has a negative tolerance in 5:-1'),
        ("N?{#}", 'numeric question "N?" has no answer'),
        ("N?{#1e999}", 'numeric question "N?" has a number too large: 1e999'),
        ("N?{#NaN}", 'numeric question "N?" has "NaN" where a number should be'),
        (
            "N?{#=%50%1}",
            'numeric question "N?" has no answer worth 100%: drop the %n% weight of the best one',
        ),
        (
            "::A title longer than forty characters, surely::{}",
            'essay question "A title longer than forty characters, su..." cannot be '
            "converted: essays are not graded automatically",
        ),
    ],
)
def test_unconvertible_questions_are_skipped_with_a_reason(gift: str, reason: str) -> None:
    assert skip_reason(gift) == reason


# YAML output


def test_yaml_round_trip(conversion: GiftConversion) -> None:
    assert yaml.safe_load(dump_quiz_yaml(conversion.quiz)) == conversion.quiz


def test_yaml_reads_like_hand_written_yaml(conversion: GiftConversion) -> None:
    dumped = dump_quiz_yaml(conversion.quiz)
    assert dumped.startswith("title: Imported GIFT questions\npools:\n  - id: default\n")
    assert (
        "      - id: escapes-all-of-them\n"
        "        type: single\n"
        "        points: 1\n"
        "        text: |-\n"
        "          Is 1 = 1 in {a} ~ b # c \\ d?\n"
        "          Say so.\n"
        "        options:\n"
        "          - id: a\n"
        "            text: yes = right\n"
        "            correct: true\n"
        "            feedback: 'it is # one'\n"
    ) in dumped
    assert "Est-ce « vrai » ?" in dumped  # Unicode kept, not escaped


def test_yaml_orders_keys_whatever_the_input_order() -> None:
    quiz = {
        "pools": [
            {
                "questions": [{"text": "T?", "answer": True, "type": "true_false", "id": "q"}],
                "id": "p",
            }
        ],
        "title": "Quiz",
    }
    assert dump_quiz_yaml(quiz) == (
        "title: Quiz\npools:\n  - id: p\n    questions:\n      - id: q\n"
        "        type: true_false\n        text: T?\n        answer: true\n"
    )


def test_yaml_keeps_unusual_line_breaks() -> None:
    # PyYAML writes these raw outside double quotes and reads them back changed.
    quiz = {"title": "a\x85b\u2028c\rd", "pools": []}
    assert yaml.safe_load(dump_quiz_yaml(quiz)) == quiz


# Command line


def test_main_writes_the_quiz_and_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "final-exam.quiz.yml"
    gift = tmp_path / "final-exam.gift"
    gift.write_text(ALL_CONSTRUCTS.read_text(encoding="utf-8"), encoding="utf-8")

    assert main([str(gift), str(out)]) == 0

    quiz = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert quiz["title"] == "Final exam"
    assert quiz["pools"] == convert_file(ALL_CONSTRUCTS).quiz["pools"]
    stdout = capsys.readouterr().out.splitlines()
    assert stdout[0] == "converted 21 questions in 4 pools; skipped 7:"
    assert stdout[1:] == [f"{gift}:{line}: {reason}" for line, reason in EXPECTED_SKIPPED]


def test_main_writes_nothing_when_there_are_syntax_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.yml"

    assert main([str(SYNTAX_ERRORS), str(out)]) == 1

    assert not out.exists()
    stderr = capsys.readouterr().err.splitlines()
    problems = convert_file(SYNTAX_ERRORS).problems
    assert stderr[:-1] == [f"{SYNTAX_ERRORS}:{line}: {message}" for line, message in problems]
    assert stderr[-1] == f"{SYNTAX_ERRORS}: nothing written; fix the problems above and run again"


def test_main_writes_nothing_when_no_question_converts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gift = tmp_path / "essays.gift"
    gift.write_text("Describe.{}\n", encoding="utf-8")
    out = tmp_path / "out.yml"

    assert main([str(gift), str(out)]) == 1

    assert not out.exists()
    captured = capsys.readouterr()
    assert captured.out.startswith("converted 0 questions in 0 pools; skipped 1:\n")
    assert "no question could be converted" in captured.err


def test_main_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.gift"
    assert main([str(missing), str(tmp_path / "out.yml")]) == 1
    assert capsys.readouterr().err.startswith(f"{missing}: cannot be read (")


def test_python_dash_m_runs_main(tmp_path: Path) -> None:
    gift = tmp_path / "small.gift"
    gift.write_text("True?{T}\n", encoding="utf-8")
    out = tmp_path / "small.quiz.yml"
    finished = subprocess.run(
        [sys.executable, "-m", "educational.catalog.gift", str(gift), str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == "converted 1 questions in 1 pools; skipped 0\n"
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["pools"][0]["questions"][0]["id"] == (
        "q-default-1"
    )


# Any input


GIFT_ALPHABET = st.sampled_from(
    [*"{}~=#:%->.\\n\n \t$/[]*TFab12", "//", "::", "####", "$CATEGORY:", "[html]", "<b>"]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(GIFT_ALPHABET, max_size=60).map("".join)))
def test_any_text_converts_without_raising(text: str) -> None:
    conversion = convert_gift(text)
    assert yaml.safe_load(dump_quiz_yaml(conversion.quiz)) == conversion.quiz
    for line, _ in conversion.skipped + conversion.problems:
        assert 1 <= line <= text.count("\n") + text.count("\r") + 1
