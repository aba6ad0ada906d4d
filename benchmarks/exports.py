"""How fast, and in how much memory, the CSV exports stream (issue 15): the whole-registry
CSV, the staff's accreditations and applications CSVs and a members' shortlist CSV.

    .venv/bin/python benchmarks/exports.py [--people 100000] [--db sqlite|postgresql|both]
        [--dir DIR] [--no-before] [--tracemalloc]

The databases are those of benchmarks/registry_csv.py (kept between runs, one per size;
PostgreSQL: DATABASE_URL when it names one, else a database on BENCH_POSTGRES_URL). Each
export runs in this process, the way the app serves it: the registry CSV through the app's
test client (the view, ``stream_with_context`` and the response's iterator, read chunk by
chunk as a socket would), the others by their views' generators in a request context. For
each it prints the seconds to the whole file, the bytes, the rows, and the growth of this
process's peak resident memory (VmHWM, reset through /proc/self/clear_refs before each
export; where the reset is refused, the growth of ru_maxrss, which then only shows a
growth above the earlier peak).

The physical reference: the same people's registry id, name, role, status and dates read
by a plain SQL cursor and written with ``csv.writer`` (no cells to defuse, no scopes,
languages or firms aggregated): the ratio says how far the export is from the cost of just
reading the rows and writing CSV. "before" is the registry CSV as it was built before issue
10 (``git show 4d77971^:educational/registry/csvexport.py``: every person's entry read by
``load_entries``, a batch of ids at a time, then one ``csv_line`` per person), kept here to
be measured the same way in the same run. It is not a test; nothing leaves this machine."""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import app_environment, machine
from registry_csv import database_url, prepare

#: The address the app believes it serves (its public URL in ``app_environment``).
BASE = "http://127.0.0.1"


class Sink:
    """A file that only counts what is written to it (for ``csv.writer``)."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text.encode())
        return len(text)


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class PeakGrowth:
    """The growth of this process's peak resident memory while the block runs (KiB)."""

    def __enter__(self) -> PeakGrowth:
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.reset = True
        except OSError:
            self.reset = False
        self.before_rss = _status_kib("VmRSS")
        self.before_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return self

    def __exit__(self, *exc) -> None:
        if self.reset:
            self.kib = max(0, _status_kib("VmHWM") - self.before_rss)
        else:
            self.kib = max(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - self.before_max)


def measure(label: str, chunks: Callable[[], Iterable[bytes | str]]) -> tuple[float, float]:
    """Run one export to its end: prints the figures, returns (seconds, CPU seconds)."""
    size = lines = 0
    traced = tracemalloc.is_tracing()
    if traced:
        tracemalloc.reset_peak()
        traced_before = tracemalloc.get_traced_memory()[0]
    with PeakGrowth() as peak:
        started, cpu = time.perf_counter(), time.process_time()
        for chunk in chunks():
            data = chunk.encode() if isinstance(chunk, str) else chunk
            size += len(data)
            lines += data.count(b"\n")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    allocated = ""
    if traced:
        growth = tracemalloc.get_traced_memory()[1] - traced_before
        allocated = f", Python allocations peak +{growth / 1e6:.1f} MB"
    print(
        f"  {label}: {seconds:.2f} s (CPU {cpu:.2f} s), {size / 1e6:.1f} MB, "
        f"{max(0, lines - 1):,} rows, "
        f"peak memory +{peak.kib / 1024:.1f} MB{allocated}",
        flush=True,
    )
    return seconds, cpu


#: The commit whose staff exports read ORM objects (issue 15's "before").
STAFF_BEFORE = "bda0cdf"


def staff_exports_before():
    """The staff exports module as it was at ``STAFF_BEFORE`` (from git), or None."""
    import types

    try:
        source = subprocess.run(
            ["git", "show", f"{STAFF_BEFORE}:educational/accreditation/exports.py"],
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("educational.accreditation.exports_before")
    module.__package__ = "educational.accreditation"
    # Our own code from our own history, run to measure it.
    exec(compile(source, f"{STAFF_BEFORE}:exports.py", "exec"), module.__dict__)  # noqa: S102
    return module


def reference(url: str) -> tuple[float, float]:
    """Plain SQL cursor -> csv.writer: the registry's public people and their roles."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    sql = text(
        "SELECT p.registry_id, u.name, a.role, a.status, a.valid_from, a.valid_until "
        "FROM registry_profiles p JOIN users u ON u.id = p.user_id "
        "JOIN accreditations a ON a.profile_id = p.id WHERE p.public "
        "ORDER BY u.name, p.registry_id, a.id"
    )
    sink = Sink()
    with engine.connect() as connection:
        started, cpu = time.perf_counter(), time.process_time()
        writer = csv.writer(sink)
        writer.writerow(["registry_id", "name", "role", "status", "valid_from", "valid_until"])
        result = connection.execution_options(stream_results=True, yield_per=2000).execute(sql)
        for row in result:
            writer.writerow(row)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    print(
        f"  reference (plain SQL cursor + csv.writer, id/name/role/status/dates): "
        f"{seconds:.2f} s (CPU {cpu:.2f} s), {sink.size / 1e6:.1f} MB",
        flush=True,
    )
    return seconds, cpu


def run(kind: str, url: str, people: int, before: bool) -> None:
    # Seeded by another process: seeding 100,000 people would leave this one's memory
    # grown, and a later export would reuse it without growing its peak.
    subprocess.run(
        [sys.executable, __file__, "--prepare", url, "--people", str(people)], check=True
    )
    total, listed = prepare(url, people)
    os.environ.update(app_environment(url))
    from werkzeug.datastructures import MultiDict

    from educational import create_app
    from educational.accreditation import exports, queues
    from educational.catalog.scheme import current_scheme
    from educational.core.db import today
    from educational.registry.schemas import RegistrySearch, ScopeQuestionSchema, load

    app = create_app()
    app.config["RATELIMIT_ENABLED"] = False
    print(f"exports on {kind}: {total:,} people, {listed:,} public")
    client = app.test_client()
    # Warm up (the scheme, the statements, the first connection).
    client.get("/registry.csv?q=warm-up", base_url=BASE).get_data()

    def registry_csv() -> Iterator[bytes]:
        response = client.get("/registry.csv?status=any", base_url=BASE, buffered=False)
        assert response.status_code == 200, response.status_code
        assert response.headers["Content-Disposition"].startswith("attachment;")
        try:
            yield from response.response
        finally:
            response.close()

    seconds, cpu = measure("registry CSV (streamed)", registry_csv)
    ref_seconds, ref_cpu = reference(url)
    print(
        f"  registry CSV ÷ reference: x{seconds / ref_seconds:.1f} (CPU x{cpu / ref_cpu:.1f})",
        flush=True,
    )
    if before:

        def old() -> Iterator[str]:
            from tests.builders.csv_oracle import registry_csv_before

            with app.test_request_context(base_url=BASE):
                query = load(RegistrySearch(), {"status": "any"})
                yield from registry_csv_before(query, current_scheme(), today())

        old_seconds, old_cpu = measure("registry CSV before (entries, line by line)", old)
        print(
            f"  before ÷ now: x{old_seconds / seconds:.1f} (CPU x{old_cpu / cpu:.1f})", flush=True
        )

    def staff(make: Callable[[], Iterable[str]]) -> Callable[[], Iterator[str]]:
        def chunks() -> Iterator[str]:
            with app.test_request_context(base_url=BASE):
                yield from make()

        return chunks

    measure(
        "staff accreditations CSV",
        staff(lambda: exports.accreditations_csv(queues.accreditation_query())),
    )
    old_exports = staff_exports_before() if before else None
    if old_exports is not None:
        measure(
            f"staff accreditations CSV before (ORM objects, {STAFF_BEFORE})",
            staff(lambda: old_exports.accreditations_csv(queues.accreditation_query())),
        )
    measure(
        "staff applications CSV",
        staff(lambda: exports.applications_csv(queues.application_query(status="all"))),
    )

    def shortlist() -> Iterator[str]:
        from educational.registry import csvexport, queries
        from educational.registry.sql import CHUNK

        with app.test_request_context(base_url=BASE):
            scheme = current_scheme()
            standard = next(iter(scheme.standards), "PS") if scheme else "PS"
            sector = next(iter(scheme.sectors), "") if scheme else ""
            args = MultiDict(
                {"role": "auditor", "standard": standard, "sector": sector, "country": "NO"}
            )
            # As the view asks (``members.shortlist_csv``): the engine's verdicts, then
            # the entries a batch at a time.
            found = queries.eligible(load(ScopeQuestionSchema(), args), scheme)
            day = today()

            def batches():
                for start in range(0, len(found), CHUNK):
                    yield [
                        (row.entry, row.accreditation.role, row.accreditation.valid_until)
                        for row in queries.shortlist_rows(found[start : start + CHUNK], day)
                    ]

            yield from csvexport.shortlist_csv(batches())

    measure("members' shortlist CSV (auditors, NO, first standard and sector)", shortlist)
    from educational.core.db import db

    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "registry-csv-bench"))
    parser.add_argument("--no-before", action="store_true", help="skip the old registry CSV")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also print the peak of Python's own allocations (slower: timings not comparable)",
    )
    parser.add_argument("--prepare", metavar="URL", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        prepare(options.prepare, options.people)
        return
    if options.tracemalloc:
        tracemalloc.start()
    print(f"machine: {machine()}")
    kinds = ["sqlite", "postgresql"] if options.db == "both" else [options.db]
    named = os.environ.get("DATABASE_URL", "")
    for kind in kinds:
        url = database_url(kind, Path(options.dir), named, options.people)
        run(kind, url, options.people, not options.no_before)


if __name__ == "__main__":
    main()
