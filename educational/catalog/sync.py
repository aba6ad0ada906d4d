"""Write a validated content tree to the database: ``flask courses sync``.

Idempotent: every course, module, quiz and question carries the hash of its content, and a
row is touched only when its hash changed. Changed questions become new versions (old rows
stay for the attempts that used them); anything that left the files is retired, never
deleted. The caller commits, so the whole sync is one transaction."""

import mimetypes
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import insert, select

from educational.core.db import db, generic_plans, utcnow

from . import content
from .models import Course, CourseImage, Module, Question, Quiz, SchemeConfig
from .rendering import render_markdown


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.retired)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, changed {len(self.changed)}, "
            f"retired {len(self.retired)}, unchanged {self.unchanged}"
        )


def sync_tree(
    tree: content.ContentTree,
    progress: Callable[[Iterable], Iterable] = iter,
    keep: Iterable[str] = (),
    rendered: dict[str, str] | None = None,
) -> SyncReport:
    """Bring the database in line with ``tree``; ``progress`` wraps the loop over courses
    (a progress bar on a terminal).

    ``keep``: course folders that are still there but were not read (unchanged since the last
    sync, see manifest.py): their rows stay as they are. Any other course missing from
    ``tree`` is retired. ``rendered``: Markdown sources already rendered (render_sources)."""
    _prerendered.update(rendered or {})
    try:
        return _sync_tree(tree, progress, set(keep))
    finally:
        _prerendered.clear()


#: HTML of Markdown sources rendered while the files were read (render_sources), in the
#: worker processes: the sync takes it from here instead of rendering again.
_prerendered: dict[str, str] = {}


def _html(source: str) -> str:
    html = _prerendered.get(source)
    return html if html is not None else render_markdown(source)


def render_sources(course: content.Course) -> dict[str, str]:
    """The HTML of every Markdown text of ``course`` that the sync stores: summaries and
    module bodies, originals and translations. Pure: runs where the course was read."""
    sources = [course.summary, *(text.summary for text in course.translations.values())]
    for module in course.modules:
        sources += [module.body, *(text.body for text in module.translations.values())]
    return {source: render_markdown(source) for source in sources}


def _sync_tree(
    tree: content.ContentTree, progress: Callable[[Iterable], Iterable], keep: set[str]
) -> SyncReport:
    report = SyncReport()
    report.unchanged += len(keep)
    _sync_scheme(tree.scheme, report)
    existing = {c.slug: c for c in db.session.scalars(select(Course))}
    new_rows = _NewRows()
    for spec in progress(list(tree.courses.values())):
        course = existing.get(spec.slug)
        if course and course.content_hash == spec.content_hash and not course.retired_at:
            report.unchanged += 1
            continue
        questions = _current_questions(course.id) if course else {}
        _sync_course(course, spec, questions, tree.root / spec.slug, report, new_rows)
    for slug, course in existing.items():
        if slug not in tree.courses and slug not in keep and course.retired_at is None:
            _retire_course(course)
            report.retired.append(f"course {slug}")
    db.session.flush()
    new_rows.insert()
    return report


class _NewRows:
    """New modules, quizzes, questions and images, inserted together at the end of the sync
    (one multi-row INSERT per table instead of one per row: most of a first sync's time)."""

    def __init__(self) -> None:
        self.rows: dict[type, list[dict]] = {Module: [], Quiz: [], Question: [], CourseImage: []}

    def add(self, model: type, **values) -> None:
        self.rows[model].append(values)

    def insert(self) -> None:
        # Prepared: PostgreSQL parses and plans each INSERT once for all its rows.
        with generic_plans(db.session.connection()):
            for model, rows in self.rows.items():
                if rows:
                    # The table, not the model: a plain executemany, without the ORM's
                    # per-row bookkeeping (the rows are not needed as objects here).
                    db.session.execute(insert(model.__table__), rows)
                rows.clear()


def _sync_scheme(scheme: content.Scheme, report: SyncReport) -> None:
    row = db.session.scalar(select(SchemeConfig).where(SchemeConfig.code == scheme.code))
    if row is not None and row.content_hash == scheme.content_hash:
        report.unchanged += 1
        return
    data = scheme_to_json(scheme)
    if row is None:
        db.session.add(
            SchemeConfig(
                code=scheme.code, name=scheme.name, data=data, content_hash=scheme.content_hash
            )
        )
        report.added.append(f"scheme {scheme.code}")
    else:
        row.name, row.data, row.content_hash, row.synced_at = (
            scheme.name,
            data,
            scheme.content_hash,
            utcnow(),
        )
        report.changed.append(f"scheme {scheme.code}")


def scheme_to_json(scheme: content.Scheme) -> dict:
    data = asdict(scheme)
    data.pop("content_hash", None)
    for standard in data["standards"].values():
        for version in standard["versions"]:
            version["published"] = version["published"].isoformat()
    return data


def _current_questions(course_id: int) -> dict[str, Question]:
    query = select(Question).where(Question.course_id == course_id, Question.is_current)
    return {question.key: question for question in db.session.scalars(query)}


def _course_fields(spec: content.Course) -> dict:
    return {
        "title": spec.title,
        "summary": spec.summary,
        "summary_html": _html(spec.summary),
        "version": spec.version,
        "language": spec.language,
        "languages": list(spec.languages),
        "estimated_minutes": spec.estimated_minutes,
        "standard_code": spec.standard_code,
        "standard_version": spec.standard_version,
        "required_for": list(spec.required_for),
        "translations": {
            lang: {
                "title": t.title,
                "summary": t.summary,
                "summary_html": _html(t.summary),
            }
            for lang, t in spec.translations.items()
        },
        "exam_name": spec.exam,
        "certificate_validity_months": spec.certificate_validity_months,
        "refresher": spec.refresher,
        "content_hash": spec.content_hash,
        "synced_at": utcnow(),
        "retired_at": None,
    }


def _sync_course(
    course: Course | None,
    spec: content.Course,
    questions: dict[str, Question],
    folder: Path,
    report: SyncReport,
    new_rows: "_NewRows",
) -> None:
    new = course is None
    if course is None:
        course = Course(slug=spec.slug, **_course_fields(spec))
        db.session.add(course)
        db.session.flush()
        report.added.append(f"course {spec.slug}")
    else:
        for name, value in _course_fields(spec).items():
            setattr(course, name, value)
        report.changed.append(f"course {spec.slug}")
    # A new course has no rows yet: no need to ask for them.
    _sync_modules(course, spec, report, new_rows, new)
    _sync_quizzes(course, spec, report, new_rows, new)
    _sync_questions(course, spec, questions, report, new_rows, new)
    _sync_images(course, spec, folder, new_rows, new)


def _rows_of(model: type[Module] | type[Quiz], course: Course, new: bool) -> dict:
    if new:
        return {}
    rows = db.session.scalars(select(model).where(model.course_id == course.id))
    return {row.name: row for row in rows}


def _sync_modules(
    course: Course, spec: content.Course, report: SyncReport, new_rows: "_NewRows", new: bool
) -> None:
    existing = _rows_of(Module, course, new)
    for module_spec in spec.modules:
        row = existing.pop(module_spec.name, None)
        label = f"module {spec.slug}/{module_spec.name}"
        if (
            row is not None
            and row.content_hash == module_spec.content_hash
            and row.retired_at is None
        ):
            row.position = module_spec.position
            continue
        fields = {
            "position": module_spec.position,
            "title": module_spec.title,
            "estimated_minutes": module_spec.estimated_minutes,
            "quiz_name": module_spec.quiz,
            "body": module_spec.body,
            "body_html": _html(module_spec.body),
            "translations": {
                lang: {"title": t.title, "body_html": _html(t.body)}
                for lang, t in module_spec.translations.items()
            },
            "content_hash": module_spec.content_hash,
            "retired_at": None,
        }
        _add_or_update(Module, row, course, module_spec.name, fields, label, report, new_rows)
    _retire_missing(existing, f"module {spec.slug}", report)


def _sync_quizzes(
    course: Course, spec: content.Course, report: SyncReport, new_rows: "_NewRows", new: bool
) -> None:
    existing = _rows_of(Quiz, course, new)
    for quiz_spec in spec.quizzes.values():
        row = existing.pop(quiz_spec.name, None)
        if (
            row is not None
            and row.content_hash == quiz_spec.content_hash
            and row.retired_at is None
        ):
            continue
        settings = asdict(quiz_spec.settings)
        fields = {
            "title": quiz_spec.title,
            "title_translations": dict(quiz_spec.title_translations),
            "settings": settings,
            "pools": [
                {
                    "id": pool.id,
                    "title": pool.title,
                    "title_translations": dict(pool.title_translations),
                    "questions": [question.id for question in pool.questions],
                }
                for pool in quiz_spec.pools
            ],
            "content_hash": quiz_spec.content_hash,
            "retired_at": None,
        }
        label = f"quiz {spec.slug}/{quiz_spec.name}"
        _add_or_update(Quiz, row, course, quiz_spec.name, fields, label, report, new_rows)
    _retire_missing(existing, f"quiz {spec.slug}", report)


def _add_or_update(
    model: type[Module] | type[Quiz],
    row: Module | Quiz | None,
    course: Course,
    name: str,
    fields: dict,
    label: str,
    report: SyncReport,
    new_rows: "_NewRows",
) -> None:
    """Adds a ``model`` row named ``name`` with ``fields``, or writes them onto ``row``."""
    if row is None:
        new_rows.add(model, course_id=course.id, name=name, **fields)
        report.added.append(label)
    else:
        for key, value in fields.items():
            setattr(row, key, value)
        report.changed.append(label)


def _retire_missing(
    rows: dict[str, Module] | dict[str, Quiz], prefix: str, report: SyncReport
) -> None:
    """Retires the rows whose spec left the files (they stay for the attempts that used them)."""
    for name, row in rows.items():
        if row.retired_at is None:
            row.retired_at = utcnow()
            report.retired.append(f"{prefix}/{name}")


def _sync_questions(
    course: Course,
    spec: content.Course,
    current: dict[str, Question],
    report: SyncReport,
    new_rows: "_NewRows",
    new: bool,
) -> None:
    seen = set()
    latest_versions = (
        {}
        if new
        else dict(
            db.session.execute(
                select(Question.key, db.func.max(Question.version))
                .where(Question.course_id == course.id)
                .group_by(Question.key)
            ).all()
        )
    )
    for question in spec.questions:
        seen.add(question.id)
        row = current.get(question.id)
        if row is not None and row.content_hash == question.content_hash:
            continue
        if row is not None:
            row.is_current = False
        new_rows.add(
            Question,
            course_id=course.id,
            key=question.id,
            version=latest_versions.get(question.id, 0) + 1,
            is_current=True,
            type=question.type,
            points=float(question.points),
            text=question.text,
            feedback=question.feedback,
            definition=question.definition,
            translations={
                lang: {"text": t.text, "feedback": t.feedback, "definition": t.definition}
                for lang, t in question.translations.items()
            },
            content_hash=question.content_hash,
            created_at=utcnow(),
        )
        (report.changed if row is not None else report.added).append(
            f"question {spec.slug}/{question.id}"
        )
    for key, row in current.items():
        if key not in seen:
            row.is_current = False
            report.retired.append(f"question {spec.slug}/{key}")


def _sync_images(
    course: Course, spec: content.Course, folder: Path, new_rows: "_NewRows", new: bool
) -> None:
    existing = (
        {}
        if new
        else {
            i.path: i
            for i in db.session.scalars(
                select(CourseImage).where(CourseImage.course_id == course.id)
            )
        }
    )
    for path, sha256 in spec.images.items():
        row = existing.pop(path, None)
        if row is not None and row.sha256 == sha256:
            continue
        data = (folder / path).read_bytes()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if row is None:
            new_rows.add(
                CourseImage,
                course_id=course.id,
                path=path,
                sha256=sha256,
                content_type=content_type,
                data=data,
            )
        else:
            row.sha256, row.content_type, row.data = sha256, content_type, data
    for row in existing.values():
        db.session.delete(row)


def _retire_course(course: Course) -> None:
    now = utcnow()
    course.retired_at = now
    for module in course.modules:
        module.retired_at = module.retired_at or now
    for quiz in db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)):
        quiz.retired_at = quiz.retired_at or now
