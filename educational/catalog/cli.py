"""``flask courses check|sync|import-gift``."""

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from educational.core.db import db

from .content import load_tree
from .sync import sync_tree

courses_cli = AppGroup("courses", help="Course content in courses/.")


def _content_path(path: str | None) -> Path:
    return Path(path or current_app.config["COURSES_PATH"])


def _load_or_exit(path: Path):
    result = load_tree(path)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    if result.problems:
        count = len(result.problems)
        click.echo(
            f"{count} problem{'s' if count != 1 else ''} in {path}; nothing was written", err=True
        )
        raise SystemExit(1)
    return result.tree


@courses_cli.command("check")
@click.argument("path", required=False)
def check(path: str | None) -> None:
    """Validate the content in PATH (default: courses/) without writing anything."""
    tree = _load_or_exit(_content_path(path))
    click.echo(
        f"ok: {len(tree.courses)} courses, {tree.module_count} modules, "
        f"{tree.question_count} questions"
    )


@courses_cli.command("sync")
@click.argument("path", required=False)
def sync(path: str | None) -> None:
    """Validate the content in PATH, then load it into the database in one transaction."""
    started = time.perf_counter()
    tree = _load_or_exit(_content_path(path))
    loaded = time.perf_counter()

    def progress(courses):
        if not sys.stdout.isatty():
            return iter(courses)
        return click.progressbar(
            courses, label="Syncing courses", item_show_func=lambda c: c and c.slug
        )

    if sys.stdout.isatty():
        with progress(list(tree.courses.values())) as bar:
            report = sync_tree(tree, progress=lambda courses: bar)
    else:
        report = sync_tree(tree)
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
