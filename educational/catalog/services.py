"""Catalogue use cases: enrolment, reading progress, and what staff see of it."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from educational.core import signals
from educational.core.db import db
from educational.core.errors import DomainError

from .models import Course, CourseImage, Enrolment, Module, ModuleProgress


def live_courses() -> list[Course]:
    return list(
        db.session.scalars(select(Course).where(Course.retired_at.is_(None)).order_by(Course.title))
    )


def course_by_slug(slug: str, *, include_retired: bool = False) -> Course | None:
    query = select(Course).where(Course.slug == slug)
    if not include_retired:
        query = query.where(Course.retired_at.is_(None))
    return db.session.scalar(query)


def module_by_name(course: Course, name: str) -> Module | None:
    return db.session.scalar(
        select(Module).where(
            Module.course_id == course.id, Module.name == name, Module.retired_at.is_(None)
        )
    )


def course_image(course: Course, filename: str) -> CourseImage | None:
    """An image of the course folder, by its path under ``images/``."""
    return db.session.scalar(
        select(CourseImage).where(
            CourseImage.course_id == course.id, CourseImage.path == f"images/{filename}"
        )
    )


def find_enrolment(user, course: Course) -> Enrolment | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    )


def default_language(user, course: Course) -> str:
    """The learner's preferred language if the course has it, else the course's own."""
    preferred = getattr(user, "locale", None)
    return preferred if preferred in course.languages else course.language


def enrol(user, course: Course) -> Enrolment:
    """Enrol ``user`` (idempotent: enrolling twice returns the first enrolment)."""
    if course.retired_at is not None:
        raise DomainError(_("This course is no longer offered; choose another from the catalogue."))
    enrolment = find_enrolment(user, course)
    if enrolment is None:
        enrolment = Enrolment(
            user_id=user.id, course_id=course.id, language=default_language(user, course)
        )
        db.session.add(enrolment)
        db.session.flush()
    return enrolment


def set_language(enrolment: Enrolment, language: str) -> None:
    if language not in enrolment.course.languages:
        raise DomainError(
            _(
                "This course is available in: %(languages)s.",
                languages=", ".join(enrolment.course.languages),
            ),
            field="language",
        )
    enrolment.language = language


def completed_module_ids(enrolment: Enrolment) -> set[int]:
    return set(
        db.session.scalars(
            select(ModuleProgress.module_id).where(ModuleProgress.enrolment_id == enrolment.id)
        )
    )


def mark_module_read(enrolment: Enrolment, module: Module) -> None:
    """Record that the learner read ``module`` (once) and remember it as the last one."""
    if module.course_id != enrolment.course_id or module.retired_at is not None:
        raise DomainError(_("That module is not part of this course."))
    if module.id not in completed_module_ids(enrolment):
        db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id))
    enrolment.last_module_id = module.id
    db.session.flush()
    # Completion needs the exam result too: educational.learning listens.
    signals.module_read.send(enrolment)


@dataclass(frozen=True)
class Progress:
    read: int
    total: int
    next_module: Module | None

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.total) if self.total else 0


def progress_of(enrolment: Enrolment) -> Progress:
    """How far the learner is, and the module to continue with: the first unread module
    after the last one read (wrapping to the first unread)."""
    done = completed_module_ids(enrolment)
    modules = enrolment.course.live_modules
    unread = [m for m in modules if m.id not in done]
    last_position = next((m.position for m in modules if m.id == enrolment.last_module_id), 0)
    after_last = [m for m in unread if m.position > last_position]
    next_module = (after_last or unread or [None])[0]
    return Progress(sum(1 for m in modules if m.id in done), len(modules), next_module)


def enrolments_of(user) -> list[Enrolment]:
    return list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.user_id == user.id)
            .order_by(Enrolment.enrolled_at.desc())
        )
    )


@dataclass(frozen=True)
class LearnerProgress:
    enrolment: Enrolment
    read: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.total) if self.total else 0


def course_progress_report(course: Course) -> list[LearnerProgress]:
    """Every enrolled learner of ``course`` with modules read, in one query."""
    total = len(course.live_modules)
    live_ids = [m.id for m in course.live_modules]
    read_counts = dict(
        db.session.execute(
            select(ModuleProgress.enrolment_id, func.count())
            .join(Enrolment, Enrolment.id == ModuleProgress.enrolment_id)
            .where(Enrolment.course_id == course.id, ModuleProgress.module_id.in_(live_ids))
            .group_by(ModuleProgress.enrolment_id)
        ).all()
    )
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.course_id == course.id)
        .options(db.joinedload(Enrolment.user))
        .order_by(Enrolment.enrolled_at)
    )
    return [LearnerProgress(e, read_counts.get(e.id, 0), total) for e in enrolments]


def course_enrolment_counts() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(Enrolment.course_id, func.count()).group_by(Enrolment.course_id)
        ).all()
    )
