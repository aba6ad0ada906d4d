"""Whatever a content file holds, load_tree reports Problems and never raises."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from educational.catalog.content import Problem, load_tree

FIXTURE = Path(__file__).parent / "content_fixtures" / "valid"

TARGETS = [
    "scheme.yml",
    "basics/course.yml",
    "basics/01-intro.md",
    "basics/01-intro.fr.md",
    "basics/final-exam.quiz.yml",
    "basics/final-exam.quiz.fr.yml",
    "basics/intro-check.quiz.yml",
]

# Pieces of YAML syntax, of the format's keys and of awkward values, glued at random.
PIECES = [
    *(": ", "- ", "\n", "  ", "    ", "[", "]", "{", "}", ", ", "? ", "|\n", ">-\n", '"', "'"),
    *("# note", "---\n", "...\n", "&a ", "*a", "!!str ", "!!binary ", "!tag ", "<<: ", "~"),
    *("null", "true", "no", "3", "-1", "0", "101", "1e400", ".nan", "0x1F", "1_000", "3:30"),
    *("2024-05-31", "2024-13-45", "2024-05-31T10:00:00Z", "é", "\t", "\ufeff", "\x00", "\x85"),
    *("id", "type", "single", "multiple", "numeric", "short", "matching", "ordering", "a"),
    *("options", "answers", "pairs", "items", "distractors", "pools", "questions", "settings"),
    *("title", "text", "correct", "weight", "value", "tolerance", "pattern", "(a+)+", "(x"),
    *("draw", "pool", "count", "pass_mark", "review", "modules", "languages", "language"),
    *("standards", "versions", "version", "roles", "includes", "requirements", "kind", "quiz"),
    *("estimated_minutes", "images/path.png", "![x](images/../x.png)", "```\n", "01-intro"),
]
yamlish = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=80).map("".join)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "courses"
    shutil.copytree(FIXTURE, root)
    return root


@contextmanager
def loaded_with(root: Path, target: str, content: bytes) -> Iterator[list[Problem]]:
    """Load the tree with ``target`` replaced by ``content``, then put the original back."""
    path = root / target
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        result = load_tree(root)
        yield result.problems
        assert (result.tree is None) == bool(result.problems)
    finally:
        path.write_bytes(original)


def assert_only_problems(problems: list[Problem]) -> None:
    assert problems == sorted(problems)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 1
        assert not problem.path.startswith("/")
        assert "\\" not in problem.path
        # The per-file safety net must not be what caught it: the loaders handle it themselves.
        assert "the checker failed" not in problem.message


@settings(max_examples=150, deadline=None)
@given(target=st.sampled_from(TARGETS), content=st.binary(max_size=300))
def test_random_bytes_give_problems_not_exceptions(root: Path, target: str, content: bytes) -> None:
    with loaded_with(root, target, content) as problems:
        assert_only_problems(problems)


@settings(max_examples=200, deadline=None)
@given(target=st.sampled_from(TARGETS), text=yamlish)
def test_random_yaml_like_text_gives_problems_not_exceptions(
    root: Path, target: str, text: str
) -> None:
    if target.endswith(".md"):
        text = f"---\n{text}\n---\n{text}"
    with loaded_with(root, target, text.encode("utf-8", "surrogatepass")) as problems:
        assert_only_problems(problems)


@settings(max_examples=200, deadline=None)
@given(target=st.sampled_from(TARGETS), data=st.data())
def test_mutated_valid_files_give_problems_not_exceptions(
    root: Path, target: str, data: st.DataObject
) -> None:
    # Small changes to valid files reach the deep validators that random text rarely does.
    lines = (FIXTURE / target).read_text(encoding="utf-8").split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        operation = data.draw(st.sampled_from(["delete", "repeat", "replace", "insert", "indent"]))
        if operation == "delete":
            del lines[index]
        elif operation == "repeat":
            lines.insert(index, lines[index])
        elif operation == "indent":
            lines[index] = "  " + lines[index]
        else:
            piece = data.draw(yamlish)
            if operation == "insert":
                lines.insert(index, piece)
            else:
                start = data.draw(st.integers(0, len(lines[index])))
                lines[index] = lines[index][:start] + piece
        if not lines:
            lines = [""]
    content = "\n".join(lines).encode("utf-8", "surrogatepass")
    with loaded_with(root, target, content) as problems:
        assert_only_problems(problems)
