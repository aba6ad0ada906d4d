"""Attempts at quizzes, the questions each attempt drew, and staff overrides.

Everything an attempt shows is decided when it starts and stored: which question versions,
in which order, with which option order. A reload or another device gets exactly that back,
and later edits of the content never change an attempt or its score."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from educational.catalog.models import Question, Quiz
from educational.core.db import UTCDateTime, db, utcnow


class AttemptState(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class Attempt(db.Model):
    __tablename__ = "attempts"
    #: The backstop against concurrent starts: one number per learner and quiz.
    __table_args__ = (UniqueConstraint("user_id", "quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    #: 1 for the learner's first attempt at this quiz, and so on.
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(20), default=AttemptState.IN_PROGRESS, index=True)
    #: The content language the attempt is shown in.
    language: Mapped[str] = mapped_column(String(8))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When answers stop being accepted (time limit plus any extra time); None: no limit.
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: True when the server submitted it at the deadline.
    auto_submitted: Mapped[bool] = mapped_column(default=False)
    score: Mapped[float | None]
    max_score: Mapped[float]
    #: 0 to 100, rounded to 2 places.
    percent: Mapped[float | None]
    passed: Mapped[bool | None]

    quiz: Mapped[Quiz] = relationship()
    user = relationship("User")
    slots: Mapped[list["AttemptSlot"]] = relationship(
        back_populates="attempt", order_by="AttemptSlot.position"
    )

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS


class AttemptSlot(db.Model):
    """One question of an attempt: the version drawn, its shuffled layout and the answer."""

    __tablename__ = "attempt_slots"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    #: The shuffled order of the question's option, item or match ids.
    layout: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The learner's saved answer, in the type's shape; None until answered.
    answer: Mapped[Any] = mapped_column(JSON, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The learner marked the question to come back to (listed on the summary page); it
    #: never changes a grade.
    flagged: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Filled in at submission.
    fraction: Mapped[float | None]
    score: Mapped[float | None]
    feedback: Mapped[list[str] | None] = mapped_column(JSON)

    attempt: Mapped[Attempt] = relationship(back_populates="slots")
    question: Mapped[Question] = relationship()


class QuizOverride(db.Model):
    """Staff accommodations for one learner and quiz: extra time, extra attempts."""

    __tablename__ = "quiz_overrides"
    __table_args__ = (UniqueConstraint("user_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    extra_minutes: Mapped[int] = mapped_column(default=0)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
