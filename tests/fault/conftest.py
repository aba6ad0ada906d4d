"""Fault tests: the exam load of benchmarks/quiz_load.py with a fault in its middle (the
runs are benchmarks/fault_load.py, which prints the same figures as a script).

They are marked ``fault`` and take a few minutes each at the default 300 learners (CI's
size); ``FAULT_LEARNERS=40`` makes a quick local run."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def pytest_configure(config):
    # Until pyproject.toml lists it (--strict-markers refuses unknown markers).
    config.addinivalue_line(
        "markers", "fault: kills workers or restarts the database under load (minutes each)"
    )
