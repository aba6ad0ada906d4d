"""``flask courses check|sync|import-gift``."""

import os
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from educational.core.db import db

from . import manifest
from .content import LoadResult, load_tree
from .content.tree import PARALLEL_FROM
from .models import Course
from .sync import render_sources, sync_tree

courses_cli = AppGroup("courses", help="Course content in courses/.")


def _content_path(path: str | None) -> Path:
    return Path(path or current_app.config["COURSES_PATH"])


def _load_or_exit(path: Path, **partial) -> LoadResult:
    result = load_tree(path, **partial)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if result.problems:
        count = len(result.problems)
        click.echo(
            f"{count} problem{'s' if count != 1 else ''} in {path}; nothing was written", err=True
        )
        raise SystemExit(1)
    return result


@courses_cli.command("check")
@click.argument("path", required=False)
def check(path: str | None) -> None:
    """Validate the content in PATH (default: courses/) without writing anything."""
    tree = _load_or_exit(_content_path(path)).tree
    click.echo(
        f"ok: {len(tree.courses)} courses, {tree.module_count} modules, "
        f"{tree.question_count} questions"
    )


def _idle_cpus() -> int:
    """The CPUs a pool of readers would have to itself: measured on a 2-core machine, reading
    in two processes shortens a first sync when the other core is free, and lengthens it
    (pickling the courses back costs ~10 % more CPU) when other work already uses it. Busy
    is measured now, over a tenth of a second (the load average still counts work that
    ended a minute ago)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        before = Path("/proc/stat").read_text()
        time.sleep(0.1)
        busy = busy_cpus(before, Path("/proc/stat").read_text())
    except OSError:  # not Linux
        try:
            busy = os.getloadavg()[0]
        except (AttributeError, OSError):
            busy = 0.0
    return max(1, (cpus or 1) - round(busy))


def busy_cpus(before: str, after: str) -> float:
    """How many of the machine's CPUs were busy between two readings of /proc/stat: its
    first line sums every CPU's time in user, nice, system, idle, iowait, ... columns; one
    ``cpuN`` line follows per CPU."""

    def totals(text: str) -> tuple[int, int]:
        values = [int(value) for value in text.split("\n", 1)[0].split()[1:]]
        return sum(values), values[3] + (values[4] if len(values) > 4 else 0)

    (total_0, idle_0), (total_1, idle_1) = totals(before), totals(after)
    elapsed = total_1 - total_0
    cpus = sum(1 for line in after.splitlines() if line[:3] == "cpu" and line[3:4].isdigit())
    if elapsed <= 0:
        return 0.0
    return (elapsed - (idle_1 - idle_0)) / elapsed * max(cpus, 1)


@courses_cli.command("sync")
@click.argument("path", required=False)
@click.option(
    "--full",
    is_flag=True,
    help="Read and check every file, not only those changed since the last sync.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that read changed courses (default: the CPUs not busy already).",
)
def sync(path: str | None, full: bool, jobs: int | None) -> None:
    """Validate the content in PATH, then load it into the database in one transaction.

    Only the courses whose files changed since the last successful sync of PATH are read
    (each of them whole); --full reads everything."""
    started = time.perf_counter()
    root = _content_path(path)
    previous = None if full else manifest.load(root)
    plan = manifest.plan(root, previous)
    if previous is not None and not plan.full:
        synced = {
            slug: (content_hash, retired_at is not None)
            for slug, content_hash, retired_at in db.session.execute(
                select(Course.slug, Course.content_hash, Course.retired_at)
            )
        }
        for slug in manifest.stale(plan, synced, previous):
            plan.unchanged.remove(slug)
            plan.changed.append(slug)
    result = _load_or_exit(
        root,
        only=None if plan.full else set(plan.changed),
        recheck=plan.recheck,
        # Only a read of many courses goes parallel: not worth measuring for a few.
        jobs=jobs or (_idle_cpus() if plan.full or len(plan.changed) >= PARALLEL_FROM else 1),
        prepare=render_sources,  # in the worker processes, when there are some
    )
    tree = result.tree
    loaded = time.perf_counter()

    def progress(courses):
        if not sys.stdout.isatty():
            return iter(courses)
        return click.progressbar(
            courses, label="Syncing courses", item_show_func=lambda c: c and c.slug
        )

    keep = [] if plan.full else plan.unchanged
    rendered = {src: html for made in result.prepared.values() for src, html in made.items()}
    if sys.stdout.isatty():
        with progress(list(tree.courses.values())) as bar:
            report = sync_tree(tree, lambda courses: bar, keep, rendered)
    else:
        report = sync_tree(tree, keep=keep, rendered=rendered)
    hashes = dict(db.session.execute(select(Course.slug, Course.content_hash)).all())
    present = [*tree.courses, *keep]
    manifest.save(root, plan, ((slug, hashes.get(slug, "")) for slug in sorted(present)))
    db.session.commit()
    finished = time.perf_counter()
    if not report.changed_anything:
        click.echo(f"nothing changed: {report.unchanged} items are up to date")
    else:
        for line in report.added:
            click.echo(f"added    {line}")
        for line in report.changed:
            click.echo(f"changed  {line}")
        for line in report.retired:
            click.echo(f"retired  {line}")
        click.echo(report.summary())
    if plan.full:
        click.echo(f"read all {len(tree.courses)} courses")
    else:
        recheck = f"; course.yml re-checked ({plan.recheck_reason})" if plan.recheck else ""
        click.echo(
            f"read {len(tree.courses)} changed courses, skipped {len(keep)} unchanged{recheck}"
        )
    click.echo(f"checked in {loaded - started:.2f}s, synced in {finished - loaded:.2f}s")


@courses_cli.command("import-gift")
@click.argument("gift_file", type=click.Path(dir_okay=False))
@click.argument("out_file", type=click.Path(dir_okay=False))
def import_gift(gift_file: str, out_file: str) -> None:
    """Convert a Moodle GIFT question file into a quiz YAML file."""
    from .gift.cli import main  # the GIFT parser loads for this command only (start-up cost)

    code = main([gift_file, out_file])
    if code:
        raise SystemExit(code)


def init_app(app: Flask) -> None:
    app.cli.add_command(courses_cli)
