"""How long a log-in's password check takes: argon2-cffi's defaults (RFC 9106 low-memory:
64 MiB, 3 passes, 4 lanes; what the app used before) against the app's server parameters
(OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane), one at a time and four at once (four
gunicorn workers checking log-ins together).

    .venv/bin/python benchmarks/password_hash.py [--repeats 10]"""

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import machine

from educational.core.security import SERVER_PARAMETERS

CHOICES = {
    "library defaults (64 MiB, t=3, p=4)": {},
    "server parameters (19 MiB, t=2, p=1)": SERVER_PARAMETERS,
}


def verify_times(hasher: PasswordHasher, repeats: int, concurrent: int) -> list[float]:
    hashed = hasher.hash("benchmark password")

    def one(_index: int) -> float:
        started = time.perf_counter()
        hasher.verify(hashed, "benchmark password")
        return time.perf_counter() - started

    # argon2 releases the GIL, so threads show what several worker processes would.
    with ThreadPoolExecutor(concurrent) as pool:
        return list(pool.map(one, range(repeats * concurrent)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    options = parser.parse_args()
    print(f"machine: {machine()}")
    medians = {}
    for label, parameters in CHOICES.items():
        hasher = PasswordHasher(**parameters)
        for concurrent in (1, 4):
            times = verify_times(hasher, options.repeats, concurrent)
            medians[(label, concurrent)] = statistics.median(times)
            print(
                f"password check, {label}, {concurrent} at once: "
                f"median {1000 * statistics.median(times):6.1f} ms, max {1000 * max(times):6.1f} ms"
            )
    old, new = CHOICES
    for concurrent in (1, 4):
        ratio = medians[(old, concurrent)] / medians[(new, concurrent)]
        print(f"password check, {concurrent} at once: server parameters {ratio:.1f}x faster")


if __name__ == "__main__":
    main()
