from pathlib import Path

import pytest

from educational.catalog.content.questiontypes import QUESTION_TYPES

TEMPLATES = Path(__file__).parents[2] / "templates"


@pytest.mark.parametrize("name", sorted(QUESTION_TYPES))
def test_every_question_type_has_its_template(name):
    assert (TEMPLATES / QUESTION_TYPES[name].template).is_file()


@pytest.mark.parametrize("name", sorted(QUESTION_TYPES))
def test_every_question_type_reads_an_empty_form_as_no_answer(name):
    layout = {"options": ["a"], "prompts": ["p1"], "choices": ["x"], "items": ["i1", "i2"]}
    assert QUESTION_TYPES[name].parse_form(layout, "q1", lambda field: []) is None
