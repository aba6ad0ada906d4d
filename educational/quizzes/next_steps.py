"""Where a learner goes from the review of their own finished attempt: a module's quiz leads
back to its module and on to the next module (or to the final exam after the last one); the
final exam says whether the course is complete, or what is still missing. One home for
"what comes next", read only, from the catalogue's progress."""

from dataclasses import dataclass

from educational.catalog import services as catalog
from educational.catalog.models import Course, Enrolment, Module

from .models import Attempt


@dataclass(frozen=True)
class NextSteps:
    course: Course
    enrolment: Enrolment
    #: The module whose "test your knowledge" quiz this is; None for the final exam.
    module: Module | None = None
    #: The live module after it; None after the last one.
    next_module: Module | None = None
    #: The final exam to go on to after the last module, when the course has one.
    exam_name: str | None = None
    #: The attempt is at the course's final exam.
    is_exam: bool = False
    #: The course is complete (its certificate issued).
    completed: bool = False
    #: The first module still to read, when the course is not complete.
    unread_module: Module | None = None


def next_steps(attempt: Attempt) -> NextSteps | None:
    """None when the learner is not enrolled (any more) or the quiz has no place in the
    course's live modules."""
    course = attempt.quiz.course
    enrolment = catalog.find_enrolment(attempt.user, course)
    if enrolment is None:
        return None
    completed = enrolment.completed_at is not None
    unread = None if completed else catalog.progress_of(enrolment).next_module
    if course.exam_name == attempt.quiz.name:
        return NextSteps(course, enrolment, is_exam=True, completed=completed, unread_module=unread)
    modules = course.live_modules
    module = next((m for m in modules if m.quiz_name == attempt.quiz.name), None)
    if module is None:
        return None
    index = modules.index(module)
    following = modules[index + 1] if index + 1 < len(modules) else None
    return NextSteps(
        course,
        enrolment,
        module=module,
        next_module=following,
        exam_name=course.exam_name if following is None else None,
        completed=completed,
        unread_module=unread,
    )
