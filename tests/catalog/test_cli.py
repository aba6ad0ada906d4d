"""The `flask courses` commands end to end."""

import shutil
from pathlib import Path

import yaml

FIXTURES = Path(__file__).parent / "fixtures"
COURSES = Path(__file__).parents[2] / "courses"


def test_import_gift_writes_a_quiz_the_validator_accepts(app, tmp_path):
    out = tmp_path / "imported.quiz.yml"
    result = app.test_cli_runner().invoke(
        args=["courses", "import-gift", str(FIXTURES / "all-constructs.gift"), str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "converted" in result.output and "skipped" in result.output
    quiz = yaml.safe_load(out.read_text())
    assert quiz["pools"] and all(pool["questions"] for pool in quiz["pools"])

    # Dropped into a course as a module quiz, it passes `flask courses check`.
    root = tmp_path / "content"
    shutil.copytree(COURSES, root)
    course = root / "coc-v2-auditors"
    shutil.copy(out, course / "01-purpose-and-concepts.quiz.yml")
    module = course / "01-purpose-and-concepts.md"
    text = module.read_text()
    module.write_text(text.replace("---\n", "---\nquiz: 01-purpose-and-concepts\n", 1))
    result = app.test_cli_runner().invoke(args=["courses", "check", str(root)])
    assert result.exit_code == 0, result.output


def test_import_gift_with_syntax_errors_writes_nothing(app, tmp_path):
    out = tmp_path / "broken.quiz.yml"
    result = app.test_cli_runner().invoke(
        args=["courses", "import-gift", str(FIXTURES / "syntax-errors.gift"), str(out)]
    )
    assert result.exit_code == 1
    assert "syntax-errors.gift:" in result.output
    assert not out.exists()


def test_check_of_a_missing_folder_is_a_clear_error(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["courses", "check", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "is not a folder" in result.output
    assert "Traceback" not in result.output


def test_course_images_are_served_from_the_database(app, client, auth, make_user):
    valid = Path(__file__).parent / "content_fixtures" / "valid"
    assert app.test_cli_runner().invoke(args=["courses", "sync", str(valid)]).exit_code == 0
    png = (valid / "basics" / "images" / "path.png").read_bytes()
    response = client.get("/courses/basics/images/path.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png" and response.data == png
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get("/courses/basics/images/missing.png").status_code == 404
    assert client.get("/courses/basics/images/../course.yml").status_code == 404
    # The module page points at that route.
    auth.login(make_user().email)
    client.post("/courses/basics/enrol")
    page = client.get("/courses/basics/modules/01-intro").get_data(as_text=True)
    assert 'src="../images/path.png"' in page


def test_busy_cpus_reads_the_time_spent_between_two_readings_of_proc_stat():
    from educational.catalog.cli import busy_cpus

    # Two CPUs; between the readings 200 ticks passed in all, 50 of them idle or waiting.
    before = "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50\ncpu1 50 0 50 350 50\nintr 1\n"
    after = "cpu  175 0 175 740 110 0 0 0 0 0\ncpu0 90 0 90 370 55\ncpu1 85 0 85 370 55\nintr 2\n"
    assert busy_cpus(before, after) == 1.5
    # Nothing elapsed (a reading of the same instant): nothing busy.
    assert busy_cpus(before, before) == 0.0
