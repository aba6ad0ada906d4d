"""Signals: how a feature tells the features above it that something happened, without
importing them (as Indico's ``indico/core/signals``).

A lower feature sends; a higher one connects a receiver in its ``init_app``. Receivers run
at once, in the sender's transaction: like services, they flush and never commit, and an
exception they raise rolls the sender's work back with theirs.
"""

from blinker import Namespace

_signals = Namespace()

module_read = _signals.signal(
    "module-read",
    doc="""A learner read a module. Sender: the ``Enrolment``. Course completion listens.""",
)

attempt_submitted = _signals.signal(
    "attempt-submitted",
    doc="""A quiz attempt was submitted and graded. Sender: the ``Attempt``; ``now``: the
    time of submission. Course completion listens.""",
)
