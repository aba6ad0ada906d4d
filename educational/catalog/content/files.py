"""Which file of a course folder is what: modules, quizzes, translations, images."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from educational.catalog.content.names import MODULE, MODULE_HINT, SLUG, SLUG_HINT
from educational.catalog.content.problems import Report
from educational.catalog.content.yamlsource import quote
from educational.core.names import is_language

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg")

_QUIZ_FILE = re.compile(r"(?P<name>[^.]+)\.quiz(?:\.(?P<language>[^.]+))?\.yml")
_MODULE_FILE = re.compile(r"(?P<name>[^.]+)(?:\.(?P<language>[^.]+))?\.md")

#: Makes the Report of a file from its path.
ReportFor = Callable[[Path], Report]


@dataclass
class CourseFiles:
    """The files of one course folder, sorted by kind; names are without suffixes."""

    modules: dict[str, Path] = field(default_factory=dict)
    #: module name -> language -> path
    module_translations: dict[str, dict[str, Path]] = field(default_factory=dict)
    quizzes: dict[str, Path] = field(default_factory=dict)
    quiz_translations: dict[str, dict[str, Path]] = field(default_factory=dict)
    #: "images/<file>" -> SHA-256 of its bytes
    images: dict[str, str] = field(default_factory=dict)


def scan_course(folder: Path, report_for: ReportFor) -> CourseFiles:
    """Sort the folder's files; report those that fit no kind, so typos never pass silently."""
    files = CourseFiles()
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue  # editor and OS droppings (.DS_Store, .swp)
        if path.is_dir():
            if path.name == "images":
                files.images = _images(path, folder, report_for)
            else:
                report_for(path).add(
                    1, f"the folder {quote(path.name)} is not part of a course; only images/ is"
                )
            continue
        if path.name == "course.yml":
            continue
        quiz = _QUIZ_FILE.fullmatch(path.name)
        module = _MODULE_FILE.fullmatch(path.name)
        if quiz:
            _sort(path, quiz, files.quizzes, files.quiz_translations, SLUG, SLUG_HINT, report_for)
        elif module:
            _sort(
                path,
                module,
                files.modules,
                files.module_translations,
                MODULE,
                MODULE_HINT,
                report_for,
            )
        else:
            report_for(path).add(
                1,
                "this file is not part of the course format (course.yml, NN-<module>.md, "
                "<quiz>.quiz.yml, their .<language> translations, images/); "
                "rename or delete it",
            )
    return files


def _sort(
    path: Path,
    match: re.Match[str],
    originals: dict[str, Path],
    translations: dict[str, dict[str, Path]],
    pattern: re.Pattern[str],
    hint: str,
    report_for: ReportFor,
) -> None:
    name, language = match.group("name"), match.group("language")
    if pattern.fullmatch(name) is None:
        report_for(path).add(1, f"the file name {quote(path.name)} is not valid: use {hint}")
        return
    if language is None:
        originals[name] = path
    elif not is_language(language):
        report_for(path).add(
            1,
            f'"{language}" in the file name is not an ISO 639-1 language code; '
            "a translation is named like <name>.fr.md or <name>.quiz.fr.yml",
        )
    else:
        translations.setdefault(name, {})[language] = path


def _images(images: Path, course: Path, report_for: ReportFor) -> dict[str, str]:
    found = {}
    # os.walk, not rglob: it does not follow symbolic links, so a link loop cannot hang us.
    for directory, folders, names in os.walk(images):
        folders[:] = sorted(folder for folder in folders if not folder.startswith("."))
        for name in sorted(names):
            path = Path(directory, name)
            if name.startswith("."):
                continue
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                report_for(path).add(
                    1,
                    "only .png, .jpg, .jpeg, .gif and .svg files belong in images/; "
                    "move or delete this file",
                )
                continue
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as error:
                report_for(path).add(1, f"cannot read the image ({error.strerror or error})")
                continue
            found[path.relative_to(course).as_posix()] = digest
    return found
