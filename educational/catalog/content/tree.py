"""load_tree: the whole content folder, checked and assembled."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from educational.catalog.content.course import load_course_spec
from educational.catalog.content.folder import CourseLoader
from educational.catalog.content.model import ContentTree, Course, Scheme
from educational.catalog.content.problems import Problem, Report, guarded
from educational.catalog.content.scheme import load_scheme

#: Fewer changed courses than this are read in this process: a pool costs more than it saves.
PARALLEL_FROM = 8


@dataclass(frozen=True)
class LoadResult:
    #: The content, or None when there was any problem.
    tree: ContentTree | None
    #: Every problem found, sorted by path and line.
    problems: list[Problem]
    #: slug -> what ``prepare`` made of the course, for the courses read in worker processes.
    prepared: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def load_tree(
    root: Path | str,
    only: Collection[str] | None = None,
    recheck: Collection[str] = (),
    jobs: int = 1,
    prepare: Callable[[Course], Any] | None = None,
) -> LoadResult:
    """Read and check the content folder ``root`` (scheme.yml and one folder per course).

    Never raises on bad content: everything wrong is a Problem in the result.

    ``only``: read just these course folders (the sync's changed courses; the tree then holds
    only them); scheme.yml is always read and its references to course folders checked.
    ``recheck``: course folders of which only course.yml is checked again (against a changed
    scheme or set of folders), not loaded. ``jobs`` > 1 reads courses in that many processes
    when there are enough of them; there ``prepare`` (a pure function) is also applied to
    each course read, and its results are in ``prepared``.
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
    folders = [folder for folder in course_folders(root) if only is None or folder.name in only]
    courses: dict[str, Course] = {}
    prepared: dict[str, Any] = {}
    for course, found, made in _load_courses(folders, scheme, jobs, prepare):
        problems.extend(found)
        if course is not None:
            courses[course.slug] = course
            if made is not None:
                prepared[course.slug] = made
    for slug in sorted(recheck):
        path = root / slug / "course.yml"
        report = Report(f"{slug}/course.yml", problems)
        guarded(report, partial(load_course_spec, path, report, scheme))
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
    return LoadResult(ContentTree(root, scheme, courses), problems, prepared)


def course_folders(root: Path) -> list[Path]:
    """The folders of ``root`` that are read as courses, sorted (.git and friends are not)."""
    return sorted(
        path for path in root.iterdir() if path.is_dir() and not path.name.startswith(".")
    )


def load_course(folder: Path, scheme: Scheme | None) -> tuple[Course | None, list[Problem]]:
    """One course folder, read and checked whole: the course (None on a fatal problem) and
    its problems."""
    problems: list[Problem] = []
    course = guarded(Report(folder.name, problems), CourseLoader(folder, scheme, problems).load)
    return course, problems


def _load_courses(
    folders: list[Path], scheme: Scheme | None, jobs: int, prepare: Callable[[Course], Any] | None
) -> list[tuple[Course | None, list[Problem], Any]]:
    jobs = min(jobs, os.cpu_count() or 1, len(folders) // 2)
    if jobs < 2 or len(folders) < PARALLEL_FROM or "fork" not in _start_methods():
        return [(*load_course(folder, scheme), None) for folder in folders]
    # fork: the workers start at once, with the code already imported; they only read files.
    context = multiprocessing.get_context("fork")
    work = partial(_load_and_prepare, scheme=scheme, prepare=prepare)
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        return list(pool.map(work, folders, chunksize=2))


def _load_and_prepare(
    folder: Path, scheme: Scheme | None, prepare: Callable[[Course], Any] | None
) -> tuple[Course | None, list[Problem], Any]:
    course, problems = load_course(folder, scheme)
    made = prepare(course) if prepare is not None and course is not None else None
    return course, problems, made


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()
