"""Courses as the learners see them: synced from ``courses/`` by ``flask courses sync``.

Rows are never deleted: a course, module or quiz removed from the files is retired (hidden
from new learners) and keeps its learners' history. Questions are versioned: a changed
question is a new row with the next version, and attempts keep the row they were given."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.core.db import UTCDateTime, db, utcnow


class SchemeConfig(db.Model):
    """The scheme's rules from ``courses/scheme.yml``, as last synced."""

    __tablename__ = "scheme_configs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The whole scheme (standards, sectors, areas, roles) as JSON.
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The folder name; stable, used in URLs.
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    #: Markdown source and its sanitised HTML.
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    #: The edition shown on certificates, e.g. "2026.1".
    version: Mapped[str] = mapped_column(String(40))
    #: The language of the untranslated files, and every language with a full translation.
    language: Mapped[str] = mapped_column(String(8))
    languages: Mapped[list[str]] = mapped_column(JSON)
    estimated_minutes: Mapped[int] = mapped_column(default=0)
    standard_code: Mapped[str | None] = mapped_column(String(20))
    standard_version: Mapped[str | None] = mapped_column(String(20))
    #: Roles of the scheme that require this course.
    required_for: Mapped[list[str]] = mapped_column(JSON)
    #: {lang: {"title": ..., "summary": ..., "summary_html": ...}}
    translations: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The name of the quiz that ends the course, or None.
    exam_name: Mapped[str | None] = mapped_column(String(100))
    #: None: certificates of this course never expire.
    certificate_validity_months: Mapped[int | None]
    #: The slug of the course whose completion renews this one's certificate (course.yml's
    #: ``refresher``); None: retaking this course renews it.
    refresher: Mapped[str | None] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course", order_by="Module.position"
    )

    @property
    def live_modules(self) -> list["Module"]:
        return [module for module in self.modules if module.retired_at is None]

    def text(self, language: str) -> dict[str, str]:
        """Title and summary in ``language``, falling back to the course's own."""
        own = {"title": self.title, "summary": self.summary, "summary_html": self.summary_html}
        return self.translations.get(language, own) if language != self.language else own


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    #: The file name without ".md", e.g. "01-accreditation-process"; stable, used in URLs.
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    estimated_minutes: Mapped[int] = mapped_column(default=0)
    #: The name of the "test your knowledge" quiz after the text, or None.
    quiz_name: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    #: Rendered and sanitised once per version, at sync.
    body_html: Mapped[str] = mapped_column(Text)
    #: {lang: {"title": ..., "body_html": ...}}
    translations: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="modules")

    def text(self, language: str, course_language: str) -> tuple[str, str, bool]:
        """(title, html, translated) in ``language``; falls back to the original."""
        if language != course_language and language in self.translations:
            translation = self.translations[language]
            return translation["title"], translation["body_html"], True
        return self.title, self.body_html, language == course_language


class Quiz(db.Model):
    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    title_translations: Mapped[dict[str, str]] = mapped_column(JSON)
    #: QuizSettings as JSON (draw, shuffle, time limit, attempts, cooldown, pass mark, ...).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: [{"id", "title", "title_translations", "questions": [question keys]}]
    pools: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()


class Question(db.Model):
    """One version of a question. Never updated after learners may have seen it."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("course_id", "key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    #: The stable id from the quiz file.
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(default=1)
    #: The newest version of a question still in the files.
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    type: Mapped[str] = mapped_column(String(20))
    points: Mapped[float]
    text: Mapped[str] = mapped_column(Text)
    feedback: Mapped[str] = mapped_column(Text, default="")
    #: Normalised by the question type's class: options, answers, pairs, items...
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: {lang: {"text", "feedback", "definition"}}
    translations: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CourseImage(db.Model):
    """An image of a course folder, stored with the content so every app instance serves it."""

    __tablename__ = "course_images"
    __table_args__ = (UniqueConstraint("course_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    #: Relative to the course folder: "images/path.png".
    path: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The content language the learner chose among the course's languages.
    language: Mapped[str] = mapped_column(String(8))
    #: The module the learner read last, for "continue where you left off".
    last_module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id"))
    #: When every module was read and the exam (if any) passed.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()
    user = relationship("User")
    progress: Mapped[list["ModuleProgress"]] = relationship(back_populates="enrolment")


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("enrolment_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="progress")
