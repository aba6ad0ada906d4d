"""What ``flask courses sync`` read last time: each content file's size, mtime and hash.

A sync compares the files on disk with the manifest of the last successful sync of the same
content folder and re-reads only the courses whose files changed (a changed course is read and
checked whole). A file whose size or mtime changed but whose SHA-256 did not counts as
unchanged; its entry is refreshed. The manifest is written in the sync's own transaction, so
it never describes a sync that did not happen. ``flask courses check`` never uses it.

What depends on what:

- a course's rows depend on the files of its folder only;
- a course's references to the scheme (languages, standard, roles) and to other course folders
  (``refresher``) are in its course.yml: when scheme.yml changes, or a course folder is added
  or removed, every unchanged course's course.yml is checked again (not its modules or
  quizzes);
- every course depends on the code that reads and stores it: the manifest keeps a
  fingerprint of that code, and a sync after an upgrade that changed it reads everything.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, mapped_column

from educational.catalog.content.tree import course_folders
from educational.core.db import UTCDateTime, db, utcnow

SCHEME_FILE = "scheme.yml"
#: A file modified this close to the scan (nanoseconds) may change again within the same
#: mtime tick without its size changing; its mtime is not trusted next time ("racily clean").
RACY_NS = 2_000_000_000

#: (size, mtime in ns, SHA-256 hex)
Entry = tuple[int, int, str]


class ContentManifest(db.Model):
    """One row per content folder: the files as they were at its last successful sync."""

    __tablename__ = "content_manifests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The content folder, as an absolute path.
    root: Mapped[str] = mapped_column(String(1000), unique=True)
    #: The fingerprint of the code that read and stored the files (see ``code_fingerprint``).
    fingerprint: Mapped[str] = mapped_column(String(64))
    #: {"files": {"<slug>/<path>": [size, mtime_ns, sha256]}, "courses": {slug: content_hash}}
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass
class Plan:
    """What a sync must read, from comparing the files with the last manifest."""

    #: Course folders to read and check whole (new or with a changed, added or removed file).
    changed: list[str] = field(default_factory=list)
    #: Course folders whose rows stay as they are (their course.yml may still be re-checked).
    unchanged: list[str] = field(default_factory=list)
    #: Course folders in the manifest that are gone.
    removed: list[str] = field(default_factory=list)
    #: Why unchanged courses' course.yml must be checked again, or "" when not.
    recheck_reason: str = ""
    #: No usable manifest (first sync, --full, or the code changed): everything is read.
    full: bool = True
    #: The manifest to store if the sync succeeds.
    files: dict[str, Entry] = field(default_factory=dict)
    #: How many files were hashed to decide.
    hashed: int = 0
    #: ``code_fingerprint()`` when the plan was made, stored with the manifest.
    fingerprint: str = ""

    @property
    def recheck(self) -> list[str]:
        return list(self.unchanged) if self.recheck_reason else []


def code_fingerprint() -> str:
    """SHA-256 of the code that turns files into rows: the content package, the sync, the
    Markdown rendering and the models, plus the Markdown library's version."""
    import markdown

    package = Path(__file__).parent
    paths = sorted((package / "content").rglob("*.py"))
    paths += [package / name for name in ("sync.py", "rendering.py", "models.py", "manifest.py")]
    digest = hashlib.sha256(markdown.__version__.encode())
    for path in paths:
        digest.update(path.relative_to(package).as_posix().encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()


def scan(root: Path) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """``{relative path: (size, mtime_ns)}`` of scheme.yml and every file of every course
    folder (``course_folders``; dot files and folders skipped, as the loader does), and the
    course folders."""
    stats: dict[str, tuple[int, int]] = {}
    courses: list[str] = []
    if not root.is_dir():
        return stats, courses  # load_tree says what is wrong
    try:
        scheme = os.stat(root / SCHEME_FILE)
        stats[SCHEME_FILE] = (scheme.st_size, scheme.st_mtime_ns)
    except OSError:
        pass
    for folder in course_folders(root):
        courses.append(folder.name)
        # os.walk does not follow symbolic links to folders: a link loop cannot hang us.
        for directory, subfolders, names in os.walk(folder):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            relative = Path(directory).relative_to(root).as_posix()
            for name in names:
                if name.startswith("."):
                    continue
                try:
                    stat = os.stat(Path(directory, name))
                except OSError:
                    continue  # vanished or unreadable: the loader reports it
                stats[f"{relative}/{name}"] = (stat.st_size, stat.st_mtime_ns)
    return stats, courses


def file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # unreadable: never equal to a stored hash, so its course is read


def plan(root: Path, previous: ContentManifest | None) -> Plan:
    """Compare the files under ``root`` with ``previous`` (None: none, read everything)."""
    started = time.time_ns()
    stats, courses = scan(root)
    fingerprint = code_fingerprint()
    usable = previous is not None and previous.fingerprint == fingerprint
    old: dict[str, list] = previous.data.get("files", {}) if usable and previous else {}
    result = Plan(full=not usable, fingerprint=fingerprint)
    changed_files: set[str] = set()
    for path, (size, mtime) in stats.items():
        before = old.get(path)
        if before is not None and before[0] == size and before[1] == mtime and mtime:
            digest = before[2]
        else:
            digest = file_hash(root / path)
            result.hashed += 1
            if before is None or before[2] != digest:
                changed_files.add(path)
        # A file written just now may change again unseen within the same mtime tick.
        result.files[path] = (size, 0 if started - mtime < RACY_NS else mtime, digest)
    removed_files = set(old) - set(stats)
    touched_courses = {path.split("/", 1)[0] for path in changed_files | removed_files}
    old_courses = set(previous.data.get("courses", {})) if usable and previous else set()
    for slug in courses:
        if not usable or slug in touched_courses or slug not in old_courses:
            result.changed.append(slug)
        else:
            result.unchanged.append(slug)
    result.removed = sorted(old_courses - set(courses))
    if usable:
        if SCHEME_FILE in changed_files or SCHEME_FILE in removed_files:
            result.recheck_reason = "scheme.yml changed"
        elif result.removed or set(courses) - old_courses:
            result.recheck_reason = "a course folder was added or removed"
    return result


def stale(plan: Plan, synced: dict[str, tuple[str, bool]], previous: ContentManifest) -> list[str]:
    """Unchanged courses whose rows are not what the manifest recorded (edited or deleted in
    the database since): they are read again. ``synced``: slug -> (content_hash, retired)."""
    recorded = previous.data.get("courses", {})
    return [
        slug
        for slug in plan.unchanged
        if slug not in synced or synced[slug][1] or synced[slug][0] != recorded.get(slug)
    ]


def load(root: Path) -> ContentManifest | None:
    return db.session.scalar(select(ContentManifest).where(ContentManifest.root == key(root)))


def key(root: Path) -> str:
    return str(Path(root).resolve())


def save(root: Path, plan: Plan, courses: Iterable[tuple[str, str]]) -> None:
    """Store ``plan``'s files and each synced course's content hash; the caller commits."""
    data = {"files": {path: list(entry) for path, entry in plan.files.items()}}
    data["courses"] = dict(courses)
    row = load(root)
    if row is None:
        db.session.add(ContentManifest(root=key(root), fingerprint=plan.fingerprint, data=data))
    else:
        row.fingerprint, row.data, row.synced_at = plan.fingerprint, data, utcnow()
