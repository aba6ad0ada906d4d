"""Fixtures of the appeals tests: an accredited learner, staff, and decisions taken through
the real services (a suspension, a withdrawal, a rejected application)."""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from educational.accounts.models import User
from educational.accreditation import decisions
from educational.accreditation.models import Accreditation, StatusChange
from educational.core.db import db
from tests.builders.accreditation import apply, decide, qualify


@dataclass
class World:
    learner: object
    decider: object  # the staff member who took the original decision
    second: object  # an uninvolved staff member
    third: object  # another uninvolved staff member
    accreditation_id: int | None = None
    registry_id: str | None = None


@pytest.fixture
def world(app, make_user, synced_courses) -> World:
    learner = make_user("learner")
    decider, second, third = make_user("staff"), make_user("staff"), make_user("staff")
    qualify(app, learner.id, decider.id)
    return World(learner, decider, second, third)


@pytest.fixture
def accredited(app, world) -> World:
    decide(app, apply(app, world.learner.id), world.decider.id)
    with app.app_context():
        accreditation = db.session.scalar(select(Accreditation))
        world.accreditation_id = accreditation.id
        world.registry_id = accreditation.profile.registry_id
    return world


def change_status(app, accreditation_id: int, staff_id: int, action: str, reason: str) -> int:
    """Staff suspend/withdraw/reinstate through the lifecycle (audit event and e-mail); the
    id of the StatusChange row written."""
    with app.test_request_context():
        accreditation = db.session.get(Accreditation, accreditation_id)
        decisions.change_status(accreditation, db.session.get(User, staff_id), action, reason)
        db.session.commit()
        return db.session.scalar(select(StatusChange.id).order_by(StatusChange.id.desc()))


@pytest.fixture
def suspended(app, accredited) -> tuple[World, int]:
    change_id = change_status(
        app, accredited.accreditation_id, accredited.decider.id, "suspend", "Late reports."
    )
    return accredited, change_id


@pytest.fixture
def rejected(app, world) -> tuple[World, int]:
    application_id = apply(app, world.learner.id)
    decide(app, application_id, world.decider.id, "reject", "Too few audits.")
    return world, application_id
