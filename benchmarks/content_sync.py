"""Time `flask courses sync` on a generated content tree: first run, an unchanged re-run and
a re-run after one module of one course changed.

    .venv/bin/python benchmarks/content_sync.py [--courses 100] [--modules 20] [--questions 30]
                                                [--db sqlite|postgresql|both]
                                                [--schema migrations|models] [--jobs N]

Each module gets a quiz of ``--questions`` questions (a mix of every type), so the default
tree holds 100 x 20 x 30 = 60,000 questions. The tree is written to a temporary folder and
synced into a fresh database through the real CLI command, in a separate process, as an
operator would run it. Each figure is the command's wall time, with the CPU time of the
command (its worker processes included) beside it: on a shared machine the CPU time is the
steadier figure.

``--schema models`` creates the tables from the models instead of ``flask db upgrade`` (for a
checkout whose migration is not written yet). ``--jobs N`` passes ``--jobs`` to the sync
(the processes that read changed courses); BENCH_APP_ROOT=<an older checkout> measures that
code with this script (it then runs without ``--jobs``)."""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import APP_ROOT, BIN, app_environment, database, flask, machine

MODULE_TEXT = """---
title: Module {m} of course {c}
estimated_minutes: 15
quiz: {name}
---
# Module {m}

Auditors check that **{c}** meets the criteria. A table:

| criterion | evidence |
| --- | --- |
| 1.{m} | records, interviews |

!!! note "Key points"
    Objective evidence is verifiable.

Footnote reference[^1].

[^1]: A footnote of module {m}.
"""


def question(c: int, m: int, q: int) -> dict:
    qid = f"c{c}-m{m}-q{q}"
    kind = q % 7
    if kind == 0:
        return {
            "id": qid,
            "type": "single",
            "text": f"Question {q}: which one?",
            "options": [{"id": "a", "text": "One", "correct": True}, {"id": "b", "text": "Two"}],
        }
    if kind == 1:
        return {
            "id": qid,
            "type": "multiple",
            "text": "Which apply?",
            "options": [
                {"id": "a", "text": "A", "correct": True},
                {"id": "b", "text": "B", "correct": True},
                {"id": "c", "text": "C"},
            ],
        }
    if kind == 2:
        return {"id": qid, "type": "true_false", "text": "True?", "answer": True}
    if kind == 3:
        return {
            "id": qid,
            "type": "numeric",
            "text": "How many?",
            "answers": [{"value": 11, "tolerance": 0}],
        }
    if kind == 4:
        return {
            "id": qid,
            "type": "short",
            "text": "Name it.",
            "answers": [{"text": "elementAl"}, {"pattern": "element\\s*al"}],
        }
    if kind == 5:
        return {
            "id": qid,
            "type": "matching",
            "text": "Match.",
            "pairs": [
                {"id": "p1", "prompt": "1", "match": "Business Integrity"},
                {"id": "p2", "prompt": "2", "match": "Policy & Management"},
            ],
        }
    return {
        "id": qid,
        "type": "ordering",
        "text": "Order.",
        "items": [{"id": "i1", "text": "First"}, {"id": "i2", "text": "Second"}],
    }


def generate(root: Path, courses: int, modules: int, questions: int) -> None:
    (root / "scheme.yml").write_text((APP_ROOT / "courses" / "scheme.yml").read_text())
    for slug in ("asi-auditor", "asi-specialist"):  # scheme.yml names these two
        generate_course(root, slug, 0, 1, 2)
    for c in range(courses - 2):
        generate_course(root, f"course-{c:03d}", c, modules, questions)


def generate_course(root: Path, slug: str, c: int, modules: int, questions: int) -> None:
    folder = root / slug
    folder.mkdir()
    names = [f"{m:02d}-module-{m}" for m in range(1, modules + 1)]
    course = {
        "title": f"Generated course {slug}",
        "summary": "A generated course for the sync benchmark.",
        "version": "1",
        "language": "en",
        "languages": ["en"],
        "estimated_minutes": 15 * modules,
        "required_for": [],
        "modules": names,
    }
    (folder / "course.yml").write_text(yaml.safe_dump(course, sort_keys=False))
    for m, name in enumerate(names, start=1):
        (folder / f"{name}.md").write_text(MODULE_TEXT.format(m=m, c=slug, name=name))
        quiz = {
            "title": f"Quiz {m}",
            "settings": {"pass_mark": 70},
            "pools": [{"id": "main", "questions": [question(c, m, q) for q in range(questions)]}],
        }
        (folder / f"{name}.quiz.yml").write_text(yaml.safe_dump(quiz, sort_keys=False))


def timed_sync(env: dict, path: Path, *options: str) -> tuple[float, float, str]:
    """Wall time, CPU time (the command and its worker processes) and the last lines."""
    cpu = _children_cpu()
    started = time.perf_counter()
    output = flask(env, "courses", "sync", *options, str(path))
    wall = time.perf_counter() - started
    summary = " | ".join(line for line in output.strip().splitlines()[-3:] if "  " not in line)
    return wall, _children_cpu() - cpu, summary


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def create_tables(env: dict) -> None:
    """The tables from the models, as the test suite makes them."""
    code = (
        "from wsgi import app\n"
        "from educational.core.db import db\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
    )
    subprocess.run([str(BIN / "python"), "-c", code], cwd=APP_ROOT, env=env, check=True)


def change_one_course(root: Path) -> None:
    """Edit one module of one course: a re-run re-reads that course only."""
    module = root / "course-001" / "03-module-3.md"
    module.write_text(module.read_text() + f"\nRevised at {time.time()}.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--schema", choices=["migrations", "models"], default="migrations")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--tree", type=Path, help="copy this generated tree instead (faster)")
    args = parser.parse_args()
    options = [] if args.jobs is None or os.environ.get("BENCH_APP_ROOT") else ["--jobs"]
    options += [str(args.jobs)] if options else []
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "courses"
        root.mkdir()
        started = time.perf_counter()
        if args.tree:
            shutil.copytree(args.tree, root, dirs_exist_ok=True)
            (root / "scheme.yml").write_text((APP_ROOT / "courses" / "scheme.yml").read_text())
        else:
            generate(root, args.courses, args.modules, args.questions)
        files = sum(1 for _ in root.rglob("*"))
        print(f"generated {files} files in {time.perf_counter() - started:.1f} s")
        kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        for kind in kinds:
            with database(kind) as url:
                env = app_environment(url)
                if args.schema == "models":
                    create_tables(env)
                else:
                    flask(env, "db", "upgrade")
                runs = [("first sync", None), ("unchanged re-run", None)]
                runs.append(("one course changed", change_one_course))
                for label, before in runs:
                    if before is not None:
                        before(root)
                    wall, cpu, summary = timed_sync(env, root, *options)
                    print(f"{kind}: {label} {wall:.1f} s (cpu {cpu:.1f} s; {summary})")


if __name__ == "__main__":
    main()
