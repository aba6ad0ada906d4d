"""Every benchmark of the project, one after the other, then one table of their figures.

    .venv/bin/python benchmarks/run_all.py [--quick] [--db auto|sqlite|postgresql|both]
                                           [--only NAME ...]

Each script runs as it would alone, in its own process, with its standard sizes (``--quick``:
small sizes, for a try in a minute or two); its output is shown as it comes, and the figures
are then read from it into a Markdown table headed by the machine it ran on. ``--db``
chooses the databases of content_sync, quiz_load, registry_api and registry_csv; ``auto``
(the default) adds PostgreSQL when the server of BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432) answers. fault_load runs on SQLite and a throwaway
PostgreSQL cluster. Exit status 1 if any failed."""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BIN, ROOT, machine

HERE = Path(__file__).resolve().parent


@dataclass
class Benchmark:
    name: str
    standard: list[str]
    quick: list[str]
    db_option: bool = False  # takes --db sqlite|postgresql|both
    rows: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    status: int | None = None


QUICK_REGISTRY = str(Path(tempfile.gettempdir()) / "registry-bench-quick")
REGISTRY_QUICK = ["--people", "2000", "--requests", "30", "--throughput-requests", "300"]
BENCHMARKS = [
    Benchmark("content_sync", [], ["--courses", "5", "--modules", "4", "--questions", "10"], True),
    Benchmark("quiz_load", [], ["--quick"], True),
    Benchmark("password_hash", [], ["--repeats", "3"]),
    Benchmark(
        "item_analysis", [], ["--attempts", "1000", "--questions", "20", "--draw", "15"], True
    ),
    Benchmark(
        "registry_api",
        [],
        [*REGISTRY_QUICK, "--concurrency", "4", "--dir", QUICK_REGISTRY],
        True,
    ),
    Benchmark("registry_csv", [], ["--people", "2000", "--dir", QUICK_REGISTRY + "-csv"], True),
    Benchmark("fault_load", [], ["--learners", "30"]),
    Benchmark("registry_import", [], ["--rows", "1000"], True),
    Benchmark("exports", [], ["--people", "2000", "--dir", QUICK_REGISTRY + "-csv"], True),
]


# Reading the figures from each script's output (what it prints alone).


def content_sync_rows(output: str) -> list[tuple[str, str]]:
    rows = []
    for match in re.finditer(r"^generated (\d+) files", output, re.M):
        rows.append(("content tree", f"{int(match[1]):,} files"))
    runs = r"first sync|unchanged re-run|one course changed"
    for match in re.finditer(rf"^(\w+): ({runs}) ([\d.]+ s)", output, re.M):
        rows.append((f"{match[1]}: {match[2]}", match[3]))
    return rows


def quiz_load_rows(output: str) -> list[tuple[str, str]]:
    rows = []
    for block in re.split(r"^(?=exam load on |realistic exam on )", output, flags=re.M)[1:]:
        head = re.match(
            r"(exam load|realistic exam) on (\w+): (\d+) learners, .*?, ([\d.]+ s)", block
        )
        if not head:
            continue
        shape = "burst" if head[1] == "exam load" else "realistic"
        kind = f"{head[2]} {shape}"
        rows.append((f"{kind}: {head[3]} learners, whole load", head[4]))
        counts = re.search(r"answers acknowledged (\d+), errors (\d+), lost answers (\d+)", block)
        if counts:
            rows.append(
                (f"{kind}: answers acknowledged / errors / lost", " / ".join(counts.groups()))
            )
        steps = ("start", "answer", "submit")
        if shape == "realistic":
            steps = ("login", "start", "attempt page", "answer", "submit", "review")
        for step in steps:
            timing = re.search(
                rf"^  {step}\s+p50\s+([\d.]+) ms\s+p95\s+([\d.]+) ms(?:\s+max\s+([\d.]+) ms)?",
                block,
                re.M,
            )
            if timing:
                top = f" / {timing[3]}" if timing[3] else ""
                label = "p50 / p95 / max" if top else "p50 / p95"
                rows.append((f"{kind}: {step} {label}", f"{timing[1]} / {timing[2]}{top} ms"))
        ratio = re.search(
            r"answer-save throughput (\d+) req/s, /healthz (\d+) req/s.*?ratio ([\d.]+)", block
        )
        if ratio:
            rows.append(
                (f"{kind}: answer saves ÷ /healthz throughput (goal >= 0.5)",
                 f"{ratio[1]} / {ratio[2]} req/s = {ratio[3]}")
            )  # fmt: skip
        goal = re.search(r"slowest p95: (.*?) ([\d.]+) ms; .*?: (met|NOT met)", block)
        if goal:
            rows.append(
                (f"{kind}: slowest p95 (goal < 250 ms)", f"{goal[1]} {goal[2]} ms, {goal[3]}")
            )
    return rows


def item_analysis_rows(output: str) -> list[tuple[str, str]]:
    rows = []
    size = re.search(r"^(\d+) attempts x (\d+) questions", output, re.M)
    if size:
        rows.append(("size", f"{int(size[1]):,} attempts x {size[2]} questions"))
    for match in re.finditer(r"^(\S.*?):\s+([\d.,]+ m?s)$", output, re.M):
        rows.append((match[1], match[2]))
    for ratios in re.finditer(r"^(\w+): ratios to the plain SQL fetch: (.*)$", output, re.M):
        rows.append((f"{ratios[1]}: ratios to the plain SQL fetch of the same rows", ratios[2]))
    return rows


def registry_api_rows(output: str) -> list[tuple[str, str]]:
    rows = []
    head = re.search(r"^(\w+), ([\d,]+) people;", output, re.M)
    if head:
        rows.append(("registry", f"{head[1]}, {head[2]} people"))
    pattern = (
        r"^(registry|eligible)\s+(\d+)\s+([\d.]+)ms\s+([\d.]+)ms\s+([\d.]+)ms\s+([\d.]+)ms"
        r"\s+([\d.]+)\s+([\d.]+)\s+(\w+)"
    )
    for m in re.finditer(pattern, output, re.M):
        rows.append((f"/api/v1/{m[1]} p50 / p95", f"{m[3]} / {m[4]} ms ({m[2]} rows)"))
        rows.append(
            (f"/api/v1/{m[1]}: plain SQL p50 / p95, API ÷ SQL, same rows",
             f"{m[5]} / {m[6]} ms, x{m[7]} / x{m[8]}, {m[9]}")
        )  # fmt: skip
    for m in re.finditer(r"^  (/\S+)\s+(\d+) req/s(?:\s+ratio ([\d.]+))?", output, re.M):
        rows.append((f"{m[1]} throughput", f"{m[2]} req/s" + (f", ratio {m[3]}" if m[3] else "")))
    return rows


def registry_csv_rows(output: str) -> list[tuple[str, str]]:
    rows = []
    run = (
        r"^  run \d+: ([\d.]+) s .*?, ([\d,]+) rows, [\d.]+ MB, every public person once: "
        r"(\w+); worker CPU ([\d.]+) s, worker memory ([\d.]+) MB before, peak \+([\d.]+) MB"
    )
    for block in re.split(r"^(?=registry CSV on )", output, flags=re.M)[1:]:
        head = re.match(r"registry CSV on (\w+): ([\d,]+) people", block)
        runs = re.findall(run, block, re.M)
        if not head or not runs:
            continue
        kind, people = head[1], head[2]
        best = min(runs, key=lambda r: float(r[0]))
        once = "yes" if all(r[2] == "yes" for r in runs) else "NO"
        rows.append(
            (f"{kind}: whole-registry CSV, {people} people ({best[1]} rows, each once: {once})",
             f"{best[0]} s, worker CPU {best[3]} s (fastest of {len(runs)})")
        )  # fmt: skip
        growth = max(float(r[5]) for r in runs)
        rows.append(
            (f"{kind}: CSV worker memory before / peak growth", f"{best[4]} / +{growth} MB")
        )
    return rows


def fault_load_rows(output: str) -> list[tuple[str, str]]:
    rows = []
    for block in re.split(r"^(?=fault run on )", output, flags=re.M)[1:]:
        kind = "kill -9 workers" if "kill -9" in block else "PostgreSQL restart"
        figures = {
            "answers acknowledged / found": r"answers acknowledged (\d+), found in the \w+ (\d+)",
            "attempts started / resumed": r"attempts started (\d+), resumed (\d+)",
            "failed during outage / after": r"during the outage (\d+), after recovery (\d+)",
            "5xx not from the app / tracebacks": r"not the app's error page (\d+), with a "
            r"traceback (\d+)",
        }
        for label, pattern in figures.items():
            match = re.search(pattern, block)
            if match:
                rows.append((f"{kind}: {label}", " / ".join(match.groups())))
        recovered = re.search(r"time to recover .*?: ([\d.]+ s)", block)
        if recovered:
            rows.append((f"{kind}: time to recover", recovered[1]))
    for match in re.finditer(r"^fault run (\w+): skipped, (.*)$", output, re.M):
        rows.append((f"{match[1]}: skipped", match[2]))
    return rows


def password_hash_rows(output: str) -> list[tuple[str, str]]:
    rows = []
    for match in re.finditer(
        r"^password check, (.*?), (\d) at once: median\s+([\d.]+ ms)", output, re.M
    ):
        rows.append((f"password check, {match[1]}, {match[2]} at once (median)", match[3]))
    return rows


def exports_rows(output: str) -> list[tuple[str, str]]:
    """benchmarks/exports.py: each export's time, size and peak memory growth, and the
    registry CSV's ratio to its plain-SQL reference and to the code before issue 10."""
    rows = []
    for block in re.split(r"^(?=exports on )", output, flags=re.M)[1:]:
        head = re.match(r"exports on (\w+): ([\d,]+) people", block)
        if not head:
            continue
        kind = head[1]
        for m in re.finditer(
            r"^  (.+?): ([\d.]+) s \(CPU ([\d.]+) s\), ([\d.]+) MB, ([\d,]+) rows, "
            r"peak memory \+([\d.]+) MB",
            block,
            re.M,
        ):
            rows.append(
                (f"{kind}: {m[1]}, {head[2]} people ({m[5]} rows, {m[4]} MB)",
                 f"{m[2]} s, CPU {m[3]} s, peak +{m[6]} MB")
            )  # fmt: skip
        for m in re.finditer(
            r"^  (registry CSV ÷ reference|before ÷ now): (x[\d.]+ \(CPU x[\d.]+\))", block, re.M
        ):
            rows.append((f"{kind}: {m[1]}", m[2]))
    return rows


def registry_import_rows(output: str) -> list[tuple[str, str]]:
    rows = []
    for match in re.finditer(r"^csv module alone: ([\d.]+ ms)", output, re.M):
        rows.append(("registry file read by the csv module alone (reference)", match[1]))
    for match in re.finditer(
        r"^(\w+): (import of \d+ rows|unchanged re-run) ([\d.]+ s)", output, re.M
    ):
        rows.append((f"{match[1]}: registry {match[2]}", match[3]))
    return rows


PARSERS = {
    "content_sync": content_sync_rows,
    "password_hash": password_hash_rows,
    "quiz_load": quiz_load_rows,
    "item_analysis": item_analysis_rows,
    "registry_api": registry_api_rows,
    "registry_csv": registry_csv_rows,
    "fault_load": fault_load_rows,
    "registry_import": registry_import_rows,
    "exports": exports_rows,
}


def postgres_answers() -> bool:
    from sqlalchemy import create_engine, text

    server = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
    engine = create_engine(f"{server}/postgres", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means: not there
        return False
    finally:
        engine.dispose()


def run(benchmark: Benchmark, args: list[str]) -> None:
    command = [str(BIN / "python"), str(HERE / f"{benchmark.name}.py"), *args]
    print(f"\n=== {benchmark.name} {' '.join(args)}".rstrip(), flush=True)
    started = time.perf_counter()
    lines = []
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        for line in process.stdout:
            print(f"  {line}", end="", flush=True)
            lines.append(line)
    benchmark.status = process.returncode
    benchmark.seconds = time.perf_counter() - started
    benchmark.rows = PARSERS[benchmark.name]("".join(lines))


def table(benchmarks: list[Benchmark], quick: bool, databases: str) -> list[str]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sizes = "quick sizes" if quick else "standard sizes"
    lines = [
        f"Benchmarks on {machine()}",
        f"{when}, commit {commit or '?'}, {sizes}, databases: {databases}",
        "",
        "| benchmark | figure | value |",
        "| --- | --- | --- |",
    ]
    for benchmark in benchmarks:
        outcome = "ok" if benchmark.status == 0 else f"FAILED (exit {benchmark.status})"
        lines.append(f"| {benchmark.name} | run time, {outcome} | {benchmark.seconds:.0f} s |")
        for label, value in benchmark.rows:
            lines.append(f"| | {label} | {value} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a quick try")
    parser.add_argument("--db", choices=["auto", "sqlite", "postgresql", "both"], default="auto")
    parser.add_argument("--only", nargs="+", choices=[b.name for b in BENCHMARKS], metavar="NAME")
    options = parser.parse_args()
    databases = options.db
    if databases == "auto":
        databases = "both" if postgres_answers() else "sqlite"
    chosen = [b for b in BENCHMARKS if not options.only or b.name in options.only]
    print(f"machine: {machine()}")
    for benchmark in chosen:
        args = list(benchmark.quick if options.quick else benchmark.standard)
        if benchmark.db_option:
            args += ["--db", databases]
        run(benchmark, args)
    print()
    for line in table(chosen, options.quick, databases):
        print(line)
    if any(benchmark.status != 0 for benchmark in chosen):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
