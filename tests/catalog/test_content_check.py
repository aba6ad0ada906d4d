"""python -m educational.catalog.check [PATH]: the problems, a summary, an exit status."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from educational.catalog.check import main

FIXTURE = Path(__file__).parent / "content_fixtures" / "valid"
PROJECT = Path(__file__).parents[2]


def broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE, root)
    quiz = root / "basics" / "final-exam.quiz.yml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("pass_mark: 75", "pass_mark: 120"))
    (root / "basics" / "02-method.md").write_bytes(b"\xff\xfe binary")
    return root


def test_valid_content_prints_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(FIXTURE)])

    assert status == 0
    assert capsys.readouterr().out == "ok: 1 courses, 2 modules, 8 questions\n"


def test_problems_are_printed_sorted_with_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([str(broken_copy(tmp_path))])

    assert status == 1
    assert capsys.readouterr().out.splitlines() == [
        "basics/02-method.md:1: the file is not UTF-8 text (byte 0xff); save it as UTF-8",
        'basics/final-exam.quiz.yml:8: "pass_mark" must be a number from 0 to 100; it is 120',
        "2 problems",
    ]


def test_the_path_defaults_to_courses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURE, tmp_path / "courses")
    monkeypatch.chdir(tmp_path)

    assert main([]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_runs_as_a_module_without_a_traceback(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "educational.catalog.check", str(broken_copy(tmp_path))],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert completed.returncode == 1
    assert completed.stdout.splitlines()[-1] == "2 problems"
    assert "Traceback" not in completed.stdout + completed.stderr


def test_a_single_problem_is_counted_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([str(tmp_path / "missing")])

    assert status == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 problem"
