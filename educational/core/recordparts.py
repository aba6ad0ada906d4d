"""Parts of a person's record (``core.records.PersonRecord``) that features above the
accreditation checklist hold, such as witness assessments: the checklist cannot import them,
so each registers its loader in its ``init_app``, as it registers its staff counts."""

from collections.abc import Callable

from flask import Flask, current_app


def add_record_part(app: Flask, name: str, loader: Callable[[int], tuple]) -> None:
    """Have ``loader(user_id)`` fill the ``PersonRecord`` field ``name`` wherever a person's
    record is built (``record_parts``)."""
    app.extensions.setdefault("record_parts", []).append((name, loader))


def record_parts(user_id: int) -> dict[str, tuple]:
    """The registered parts of ``user_id``'s record, by ``PersonRecord`` field."""
    return {
        name: loader(user_id) for name, loader in current_app.extensions.get("record_parts", ())
    }
