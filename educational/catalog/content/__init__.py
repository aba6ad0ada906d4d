"""Course content: the files of courses/ read, checked and assembled (no Flask, no database).

``load_tree(path)`` returns a ``LoadResult``: the ``ContentTree`` when the files have no
problem, and every ``Problem`` found (``path:line: message``) otherwise.
"""

from educational.catalog.content.model import (
    ContentTree,
    Course,
    CourseText,
    CpdCategory,
    CycleRules,
    Draw,
    Module,
    ModuleText,
    Pool,
    Question,
    QuestionTranslation,
    Quiz,
    QuizSettings,
    Requirement,
    ReviewSettings,
    Role,
    Scheme,
    Sector,
    SpecialistArea,
    Standard,
    StandardVersion,
)
from educational.catalog.content.problems import Problem
from educational.catalog.content.tree import LoadResult, load_tree

__all__ = [
    "ContentTree",
    "Course",
    "CourseText",
    "CpdCategory",
    "CycleRules",
    "Draw",
    "LoadResult",
    "Module",
    "ModuleText",
    "Pool",
    "Problem",
    "Question",
    "QuestionTranslation",
    "Quiz",
    "QuizSettings",
    "Requirement",
    "ReviewSettings",
    "Role",
    "Scheme",
    "Sector",
    "SpecialistArea",
    "Standard",
    "StandardVersion",
    "load_tree",
]
