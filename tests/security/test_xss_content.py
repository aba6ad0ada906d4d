"""Stored XSS in course content: a quiz whose every text (question, options, feedback,
matching pairs, ordering items, accepted answers) holds the payload, in a course whose title,
summary and module title hold it too. The learner's quiz, attempt and review pages and the
staff's reports show them inert. (Module text itself: tests/catalog/test_sync.py,
``test_unsafe_markdown_is_rendered_inert``.)"""

import re
import shutil

import yaml

from educational.core.db import db
from educational.quizzes.models import Attempt
from tests.builders.people import COURSES_DIR, login

from .helpers import XSS, markup_problems, payload

SLUG = "asi-specialist"
MODULE = "01-specialist-role"


def _question(kind: str, marker: str, **fields) -> dict:
    return {
        "id": f"q-{kind.replace('_', '-')}",
        "type": kind,
        "text": payload(f"xss-{marker}-text"),
        "feedback": payload(f"xss-{marker}-feedback"),
        **fields,
    }


QUIZ = {
    "title": payload("xss-quiz-title"),
    "settings": {
        "pass_mark": 70,
        "review": {"score": True, "correctness": True, "feedback": True, "correct_answers": True},
    },
    "pools": [
        {
            "id": "hostile",
            "questions": [
                _question(
                    "single",
                    "single",
                    options=[
                        {"id": "a", "text": payload("xss-single-right"), "correct": True},
                        {
                            "id": "b",
                            "text": payload("xss-single-wrong"),
                            "feedback": payload("xss-single-option-feedback"),
                        },
                    ],
                ),
                _question(
                    "multiple",
                    "multiple",
                    options=[
                        {"id": "a", "text": payload("xss-multiple-a"), "correct": True},
                        {"id": "b", "text": payload("xss-multiple-b")},
                    ],
                ),
                _question(
                    "true_false",
                    "true-false",
                    answer=True,
                    feedback_true=payload("xss-true-feedback"),
                    feedback_false=payload("xss-false-feedback"),
                ),
                _question(
                    "numeric",
                    "numeric",
                    answers=[
                        {"value": 3, "tolerance": 0, "feedback": payload("xss-numeric-right")}
                    ],
                ),
                _question(
                    "short",
                    "short",
                    answers=[{"text": "<b>right</b>", "feedback": payload("xss-short-right")}],
                ),
                _question(
                    "matching",
                    "matching",
                    pairs=[
                        {
                            "id": "p1",
                            "prompt": payload("xss-prompt-1"),
                            "match": payload("xss-match-1"),
                        },
                        {
                            "id": "p2",
                            "prompt": payload("xss-prompt-2"),
                            "match": payload("xss-match-2"),
                        },
                    ],
                ),
                _question(
                    "ordering",
                    "ordering",
                    items=[
                        {"id": "first", "text": payload("xss-item-1")},
                        {"id": "second", "text": payload("xss-item-2")},
                    ],
                ),
            ],
        }
    ],
}
#: Shown to the learner before submitting (the answers' texts are shown after).
ON_THE_ATTEMPT = ("xss-single-text", "xss-single-right", "xss-multiple-b", "xss-prompt-1")
ON_THE_ATTEMPT += ("xss-match-2", "xss-item-2", "xss-ordering-text", "xss-numeric-text")
ON_THE_REVIEW = ("xss-single-feedback", "xss-single-option-feedback", "xss-false-feedback")
ON_THE_REVIEW += ("xss-numeric-right", "xss-matching-feedback", "xss-ordering-feedback")


def hostile_tree(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(COURSES_DIR, root, ignore=shutil.ignore_patterns("README.md"))
    course = root / SLUG
    (course / f"{MODULE}.quiz.fr.yml").unlink()
    (course / f"{MODULE}.quiz.yml").write_text(yaml.safe_dump(QUIZ, allow_unicode=True))
    meta = yaml.safe_load((course / "course.yml").read_text())
    meta["title"] = payload("xss-course-title")
    meta["summary"] = payload("xss-course-summary")
    (course / "course.yml").write_text(yaml.safe_dump(meta, allow_unicode=True))
    module = course / f"{MODULE}.md"
    title = yaml.safe_dump({"title": payload("xss-module-title")}, width=1000).strip()
    module.write_text(
        module.read_text().replace("title: The specialist's role in an audit team", title, 1)
    )
    return root


def test_quiz_content_is_rendered_inert(app, make_user, tmp_path):
    result = app.test_cli_runner().invoke(args=["courses", "sync", str(hostile_tree(tmp_path))])
    assert result.exit_code == 0, result.output
    learner, staff = make_user("learner"), make_user("staff")
    pages = {}

    client = app.test_client()
    login(client, learner.email)
    assert client.post(f"/courses/{SLUG}/enrol").status_code == 302
    for url in ("/courses", f"/courses/{SLUG}", f"/courses/{SLUG}/modules/{MODULE}", "/dashboard"):
        pages[url] = client.get(url)
    pages["quiz"] = client.get(f"/courses/{SLUG}/quizzes/{MODULE}")
    attempt = client.post(f"/courses/{SLUG}/quizzes/{MODULE}/start").headers["Location"]
    pages["attempt"] = client.get(attempt)
    answers = {"action": "submit"}
    typed = {"single": "b", "true_false": "false", "numeric": "3", "short": XSS}
    with app.app_context():
        row = db.session.get(Attempt, int(attempt.rsplit("/", 1)[1]))
        quiz_id = row.quiz_id
        for slot in row.slots:
            if slot.question.type in typed:
                answers[f"q{slot.position}"] = typed[slot.question.type]
    assert client.post(f"{attempt}/save", data=answers).status_code == 302
    pages["review"] = client.get(f"{attempt}/review")

    client = app.test_client()
    login(client, staff.email)
    report = f"/staff/quizzes/{quiz_id}/report"
    pages["/staff/quizzes"] = client.get("/staff/quizzes")
    pages["report"] = client.get(report)
    for link in _links(pages["report"].get_data(as_text=True)):
        if "/questions/" in link:
            pages[link] = client.get(link)
    pages["staff review"] = client.get(f"{attempt}/review")
    assert sum("/questions/" in name for name in pages) == len(QUIZ["pools"][0]["questions"])

    problems = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        problems += [f"{name}: {p}" for p in markup_problems(html, sanitised_markup=True)]
    assert problems == []
    shown = "".join(response.get_data(as_text=True) for response in pages.values())
    for marker in ("xss-course-title", "xss-course-summary", "xss-module-title", "xss-quiz-title"):
        assert marker in shown
    attempt_page = pages["attempt"].get_data(as_text=True)
    assert [m for m in ON_THE_ATTEMPT if m not in attempt_page] == []
    review_page = pages["review"].get_data(as_text=True)
    assert [m for m in ON_THE_REVIEW if m not in review_page] == []
    # The learner's typed answer, back as text.
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x' in review_page


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/staff/quizzes/[^"]+)"', html)
