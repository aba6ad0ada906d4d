"""What the exam's hot requests ask of the database, counted in statements (never timed):
an autosave reads the session and the one slot and writes that slot, whatever the attempt's
size; starting inserts the slots in one statement; submitting reads the questions together."""

from collections import Counter
from contextlib import contextmanager

from sqlalchemy import event

from educational.core.db import db
from tests.quizzes.helpers import EXAM, correct_form


@contextmanager
def statements(app):
    """Counts the SELECT, INSERT, UPDATE and DELETE statements sent, by table."""
    counted: Counter = Counter()

    def count(_connection, _cursor, statement, *_args):
        words = statement.split()
        verb = words[0].upper()
        if verb in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            marker = {"SELECT": "FROM", "INSERT": "INTO", "DELETE": "FROM"}.get(verb)
            table = words[words.index(marker) + 1] if marker in words else words[1]
            counted[(verb, table)] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_autosave_reads_one_slot_and_writes_it(app, client, learner):
    url = client.post(f"{EXAM}/start").headers["Location"]
    attempt_id = int(url.rsplit("/", 1)[1])
    fields = correct_form(app, attempt_id)
    data = {"position": "5", **{k: v for k, v in fields.items() if k.split(".")[0] == "q5"}}

    with statements(app) as counted:
        assert client.post(f"{url}/answer", data=data).status_code == 200

    assert sum(n for (verb, _t), n in counted.items() if verb == "SELECT") == 2  # session, slot
    assert [key for key in counted if key[0] != "SELECT"] == [("UPDATE", "attempt_slots")]
    assert counted[("UPDATE", "attempt_slots")] == 1


def test_start_inserts_the_slots_together_and_submit_reads_the_questions_together(
    app, client, learner
):
    with statements(app) as counted:
        url = client.post(f"{EXAM}/start").headers["Location"]
    assert counted[("INSERT", "attempt_slots")] == 1  # 20 slots, one statement

    with statements(app) as counted:
        assert client.post(f"{url}/submit").status_code == 302
    assert counted[("SELECT", "questions")] <= 1


def test_the_attempt_page_and_the_review_read_the_questions_together(app, client, learner):
    url = client.post(f"{EXAM}/start").headers["Location"]
    with statements(app) as counted:
        assert client.get(url).status_code == 200
    assert counted[("SELECT", "questions")] == 0  # joined to the slots: one query for all
    assert counted[("SELECT", "attempt_slots")] == 1

    client.post(f"{url}/submit")
    with statements(app) as counted:
        assert client.get(f"{url}/review").status_code == 200
    assert counted[("SELECT", "questions")] == 0
