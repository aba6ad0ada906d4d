"""How fast, and in how much memory, the whole-registry CSV streams (issue 10, finding 5).

    .venv/bin/python benchmarks/registry_csv.py [--people 100000] [--runs 2]
        [--db sqlite|postgresql|both] [--dir DIR]

The databases are kept between runs (seeding 100,000 people takes a minute), one per
size: SQLite is a file under ``--dir`` (default: a folder in /tmp); PostgreSQL is
DATABASE_URL when it names one, otherwise the database educational_bench_registry_csv_N
on the server of BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432),
created when missing.
The script adds the synthetic people the registry lacks (``flask demo seed``'s seeder),
serves the app with gunicorn (one sync worker, the production configuration) and
downloads ``/registry.csv?status=any`` ``--runs`` times, after a small download that
warms the worker up. For each download it prints the time to the first byte and to the
last, and the worker's CPU time and resident memory: before, and its peak during the
download (VmHWM after a reset through /proc/PID/clear_refs). It checks that every public
person is in the file exactly once. Goal: under 5 s for 100,000 people, and a peak that
does not grow with the registry. It is not a test; every request goes to 127.0.0.1."""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import app_environment, gunicorn, machine

POSTGRES_NAME = "educational_bench_registry_csv"
CSV_PATH = "/registry.csv?status=any"


# The databases


def database_url(kind: str, folder: Path, named: str, people: int) -> str:
    if kind == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / f'registry-{people}.sqlite'}"
    if named.startswith("postgres"):
        return named
    from sqlalchemy import create_engine, text

    server = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
    name = f"{POSTGRES_NAME}_{people}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not found:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server}/{name}"


def prepare(url: str, people: int) -> tuple[int, int]:
    """Tables, and the people the registry lacks. Returns (people, public people listed)."""
    from sqlalchemy import exists, func, select

    from educational import create_app
    from educational.accreditation.models import Accreditation, RegistryProfile
    from educational.core.db import db
    from educational.demo.seed import analyze, seed_registry

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("EDUCATIONAL_ENV", "development")
    app = create_app()
    with app.app_context():
        db.create_all()
        have = db.session.scalar(select(func.count()).select_from(RegistryProfile))
        if have < people:
            print(f"seeding {people - have:,} people...", flush=True)
            seed_registry(people - have)
            db.session.commit()
            analyze()
            db.session.commit()
        total = db.session.scalar(select(func.count()).select_from(RegistryProfile))
        listed = db.session.scalar(
            select(func.count()).where(
                RegistryProfile.public.is_(True),
                exists().where(Accreditation.profile_id == RegistryProfile.id),
            )
        )
        db.engine.dispose()
    return total, listed


# The worker


def worker_of(master: int) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("gunicorn started no worker")


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PeakMemory:
    """The worker's peak resident memory while a download runs: VmHWM after a reset, or,
    where the reset is not allowed, VmRSS sampled every 10 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.sampled = 0
        self.stop = threading.Event()
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
            self.reset = True
        except OSError:
            self.reset = False
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self.stop.wait(0.01):
            self.sampled = max(self.sampled, status_kib(self.pid, "VmRSS"))

    def __enter__(self) -> PeakMemory:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        if self.reset:
            self.sampled = max(self.sampled, status_kib(self.pid, "VmHWM"))


def download(port: int, path: str) -> tuple[float, float, bytes]:
    """(seconds to the first byte, to the last, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}: {response.read()[:300]!r}")
    first = response.read(1)
    first_byte = time.perf_counter() - started
    body = first + response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return first_byte, elapsed, body


def measure(kind: str, url: str, people: int, runs: int) -> None:
    total, listed = prepare(url, people)
    env = app_environment(url)
    with gunicorn(env, workers=1) as (base, master):
        port = int(base.rsplit(":", 1)[1])
        worker = worker_of(master.pid)
        download(port, "/registry.csv?q=warm-up")
        megabytes = 0.0
        print(f"registry CSV on {kind}: {total:,} people, {listed:,} public")
        for run in range(1, runs + 1):
            before_rss = status_kib(worker, "VmRSS")
            before_cpu = cpu_seconds(worker)
            with PeakMemory(worker) as peak:
                first_byte, elapsed, body = download(port, CSV_PATH)
            cpu = cpu_seconds(worker) - before_cpu
            rows = list(csv.reader(io.StringIO(body.decode())))[1:]
            ids = [row[0] for row in rows]
            once = len(ids) == len(set(ids)) == listed
            megabytes = len(body) / 1e6
            print(
                f"  run {run}: {elapsed:.2f} s (first byte {first_byte:.3f} s), {len(rows):,} "
                f"rows, {megabytes:.1f} MB, every public person once: {'yes' if once else 'NO'}; "
                f"worker CPU {cpu:.2f} s, worker memory {before_rss / 1024:.1f} MB before, "
                f"peak +{max(0, peak.sampled - before_rss) / 1024:.1f} MB",
                flush=True,
            )
            if not once:
                raise SystemExit("the CSV does not list every public person exactly once")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2, choices=range(1, 11))
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "registry-csv-bench"))
    options = parser.parse_args()
    print(f"machine: {machine()}")
    kinds = ["sqlite", "postgresql"] if options.db == "both" else [options.db]
    named = os.environ.get("DATABASE_URL", "")
    for kind in kinds:
        url = database_url(kind, Path(options.dir), named, options.people)
        measure(kind, url, options.people, options.runs)


if __name__ == "__main__":
    main()
