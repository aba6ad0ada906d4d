"""load_tree: the whole content folder, checked and assembled."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from educational.catalog.content.folder import CourseLoader
from educational.catalog.content.model import ContentTree, Course
from educational.catalog.content.problems import Problem, Report, guarded
from educational.catalog.content.scheme import load_scheme


@dataclass(frozen=True)
class LoadResult:
    #: The content, or None when there was any problem.
    tree: ContentTree | None
    #: Every problem found, sorted by path and line.
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def load_tree(root: Path | str) -> LoadResult:
    """Read and check the content folder ``root`` (scheme.yml and one folder per course).

    Never raises on bad content: everything wrong is a Problem in the result.
    """
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(
            Problem(".", 1, f"{root} is not a folder; give the path of the content folder")
        )
        return LoadResult(None, problems)
    scheme_report = Report("scheme.yml", problems)
    source = guarded(scheme_report, partial(load_scheme, root, scheme_report))
    scheme = source.scheme if source is not None else None
    courses: dict[str, Course] = {}
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        if folder.name.startswith("."):
            continue  # .git and friends: not courses
        loader = CourseLoader(folder, scheme, problems)
        course = guarded(Report(folder.name, problems), loader.load)
        if course is not None:
            courses[course.slug] = course
    if source is not None:
        folders = {path.name for path in root.iterdir() if (path / "course.yml").is_file()}
        for slug, line in source.course_refs:
            if slug not in folders:
                scheme_report.add(
                    line,
                    f'the course "{slug}" has no folder {slug}/ with a course.yml; '
                    "add the course or fix the name",
                )
    problems = sorted(set(problems))
    if problems or scheme is None:
        return LoadResult(None, problems)
    return LoadResult(ContentTree(root, scheme, courses), problems)
