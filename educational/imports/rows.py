"""Check the cells of an import row one by one: each function returns the value or records a
problem at the row's line and returns None. Pure: no database."""

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from educational.core.names import is_country, is_language
from educational.experience.models import PROFICIENCIES

from .problems import Problems
from .tables import Row

YES, NO = frozenset({"yes", "y", "true", "1"}), frozenset({"no", "n", "false", "0"})


class Cells:
    """The cells of one row, checked: a problem is recorded at the row's line."""

    def __init__(self, path: Path, row: Row, problems: Problems):
        self.path, self.row, self.problems = path, row, problems
        self.ok = True

    def fail(self, message: str) -> None:
        self.ok = False
        self.problems.add(self.path, self.row.line, message)

    def text(self, column: str, *, required: bool = True, longest: int = 200) -> str:
        value = self.row[column]
        if required and not value:
            self.fail(f"{column} is empty")
        elif len(value) > longest:
            self.fail(f"{column} is longer than {longest} characters")
        return value

    def matching(self, column: str, pattern: re.Pattern, hint: str) -> str:
        value = self.text(column)
        if value and not pattern.fullmatch(value):
            self.fail(f"{column} {value!r} is not {hint}")
        return value

    def email(self, column: str = "email") -> str:
        value = self.text(column, longest=320)
        if not value:
            return ""
        checked = _checked_email(value)
        if checked.startswith("!"):
            self.fail(f"{column} {value!r} is not an e-mail address ({checked[1:]})")
            return ""
        return checked

    def day(self, column: str, *, required: bool = True) -> date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            if len(value) == 10:  # fromisoformat also reads "20261206" and week dates
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.fail(f"{column} {value!r} is not a date written YYYY-MM-DD")
        return None

    def choice(self, column: str, allowed, what: str, *, required: bool = True) -> str:
        value = self.text(column, required=required)
        if value and value not in allowed:
            known = ", ".join(sorted(allowed))
            self.fail(f"{column} {value!r} is not a known {what} (known: {known})")
        return value

    def codes(self, column: str, allowed, what: str, case=str) -> tuple[str, ...]:
        """A ``;``-separated list of codes, each in ``allowed`` (a set, or a predicate), each
        put in ``case`` first (``str.upper`` for country codes)."""
        found = []
        for code in map(case, _split(self.row[column])):
            known = allowed(code) if callable(allowed) else code in allowed
            if not known:
                self.fail(f"{column}: {code!r} is not a known {what}")
            elif code in found:
                self.fail(f"{column}: {code!r} is given twice")
            else:
                found.append(code)
        return tuple(found)

    def countries(self, column: str = "countries") -> tuple[str, ...]:
        codes = self.codes(column, is_country, "ISO 3166-1 alpha-2 country code", str.upper)
        if not codes and self.row[column] == "":
            self.fail(f"{column} is empty: give at least one country, e.g. DE;FR")
        return tuple(sorted(codes))

    def languages(self, column: str = "languages") -> tuple[tuple[str, str], ...]:
        """``en;fr:B2``: ISO 639-1 codes, each with an optional CEFR level or ``native``."""
        found: dict[str, str] = {}
        for item in _split(self.row[column]):
            code, _colon, level = item.partition(":")
            code = code.lower()
            level = level or DEFAULT_LEVEL
            if not is_language(code):
                self.fail(f"{column}: {code!r} is not an ISO 639-1 language code")
            elif level not in PROFICIENCIES:
                self.fail(f"{column}: {level!r} is not a level ({', '.join(PROFICIENCIES)})")
            elif code in found:
                self.fail(f"{column}: {code!r} is given twice")
            else:
                found[code] = level
        return tuple(sorted(found.items()))

    def yes_no(self, column: str) -> bool | None:
        value = self.text(column).lower()
        if value in YES:
            return True
        if value in NO:
            return False
        if value:
            self.fail(f"{column} {self.row[column]!r} is not yes or no")
        return None


#: The level recorded for a language given without one: a registry lists the languages a
#: person audits in, which the scheme takes to be an advanced (C1) command.
DEFAULT_LEVEL = "C1"


@lru_cache(maxsize=4096)
def _checked_email(value: str) -> str:
    """The address normalised, or "!" and why it is not one (cached: a person's rows repeat
    it, and checking costs a millisecond)."""
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        return f"!{error}"


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]
