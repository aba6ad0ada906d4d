"""Time `flask registry import` of a generated registry file: first import, then the same
file again (nothing changes), through the real CLI command in a separate process.

    .venv/bin/python benchmarks/registry_import.py [--rows 10000] [--db sqlite|postgresql|both]

About 2.5 rows a person (one row per accreditation scope): auditors with two or three
scopes, lead auditors, specialists, firms, languages. The physical reference is reading and
parsing the same file with the csv module alone, measured in the same run."""

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import app_environment, database, flask, machine

COURSES = Path(__file__).resolve().parents[1] / "courses"
HEADER = [
    "registry_id", "name", "email", "role", "standard", "version", "sector",
    "specialist_areas", "countries", "languages", "valid_from", "valid_until", "status",
    "firm", "public",
]  # fmt: skip
SCOPES = [("PS", "3", s) for s in ("bauxite-mining", "alumina-refining", "aluminium-smelting",
          "casthouse", "semi-fabrication")] + [("COC", "2", s) for s in ("casthouse",
          "remelting-refining", "post-casthouse", "material-conversion")]  # fmt: skip
AREAS = ["human-rights", "ghg-emissions", "biodiversity-rehabilitation", "community-engagement"]
COUNTRIES = ["DE", "FR", "BR", "CN", "GN", "AU", "CA", "IN", "NO", "ZA", "PT", "JP"]
FIRST = ["Ana", "Li", "Jörg", "Awa", "Sipho", "Mei", "Lucas", "Ingrid", "Ravi", "Chloé"]
LAST = ["Sousa", "Wei", "Müller", "Diallo", "Nkosi", "Chen", "Martin", "Berg", "Rao", "Roy"]


def generate(path: Path, rows: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    written, number = 0, 0
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        while written < rows:
            number += 1
            registry_id = f"ASI-{number:06d}"
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}"
            email = f"person{number}@example.org"
            countries = ";".join(sorted(rng.sample(COUNTRIES, rng.randint(1, 3))))
            start = f"202{rng.randint(3, 5)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            until = f"20{int(start[2:4]) + 3}-{start[5:7]}-0{rng.randint(1, 9)}"
            status = rng.choices(["active", "suspended", "expired", "withdrawn"], [85, 5, 7, 3])[0]
            firm = f"Firm {rng.randint(1, 150)}" if rng.random() < 0.7 else ""
            public = "yes" if rng.random() < 0.9 else "no"
            common = [countries, rng.choice(["en", "en;fr", "pt;en", "zh", "de:C2"]), start,
                      until, status, firm, public]  # fmt: skip
            if rng.random() < 0.1:
                areas = ";".join(rng.sample(AREAS, 2))
                writer.writerow([registry_id, name, email, "specialist", "", "", "", areas,
                                 *common])  # fmt: skip
                written += 1
                continue
            role = "lead_auditor" if rng.random() < 0.3 else "auditor"
            for standard, version, sector in rng.sample(SCOPES, rng.randint(1, 4)):
                writer.writerow([registry_id, name, email, role, standard, version, sector, "",
                                 *common])  # fmt: skip
                written += 1
    return number


def timed(env: dict, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    output = flask(env, *args)
    return time.perf_counter() - started, output.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.csv"
        people = generate(path, args.rows)
        started = time.perf_counter()
        with path.open(newline="", encoding="utf-8") as stream:
            parsed = sum(1 for _ in csv.reader(stream))
        reference = time.perf_counter() - started
        print(f"generated {args.rows} rows ({people} people)")
        print(f"csv module alone: {reference * 1000:.0f} ms for {parsed} lines")
        kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        for kind in kinds:
            with database(kind) as url:
                env = app_environment(url)
                flask(env, "db", "upgrade")
                flask(env, "courses", "sync", str(COURSES))
                first, first_line = timed(env, "registry", "import", str(path))
                again, again_line = timed(env, "registry", "import", str(path))
                print(f"{kind}: import of {args.rows} rows {first:.1f} s ({first_line})")
                print(f"{kind}: unchanged re-run {again:.1f} s ({again_line})")


if __name__ == "__main__":
    main()
