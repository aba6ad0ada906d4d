"""Registry ids: the scheme's prefix and a zero-padded number, taken safely when two
approvals happen at the same time (on SQLite and on PostgreSQL)."""

import threading
import time

from educational.accreditation.granting import next_registry_id
from educational.core.db import db


def test_two_allocations_at_once_never_share_a_number(app):
    allocated: dict[str, str] = {}
    first_holds_its_number = threading.Event()
    errors: list[BaseException] = []

    def allocate(name: str, wait_for: threading.Event | None) -> None:
        try:
            with app.app_context():
                if wait_for is not None:
                    assert wait_for.wait(10)
                allocated[name] = next_registry_id("ASI")
                if wait_for is None:
                    # Hold the transaction open while the other one tries to allocate.
                    first_holds_its_number.set()
                    time.sleep(0.5)
                db.session.commit()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [
        threading.Thread(target=allocate, args=("first", None)),
        threading.Thread(target=allocate, args=("second", first_holds_its_number)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert allocated == {"first": "ASI-000001", "second": "ASI-000002"}
    with app.app_context():
        assert next_registry_id("ASI") == "ASI-000003"
        db.session.rollback()
