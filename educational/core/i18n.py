"""Which language and time zone a request is served in, and how dates and times are shown.

Every date is shown in the locale's unambiguous medium format ("6 Dec 2026", "6 déc. 2026",
"2026年12月6日"), and every time in the reader's zone with the zone named ("14:05 CET"). The
reader's zone is their profile's; an anonymous visitor's comes from the ``tz`` cookie that
static/js/timezone.js sets from the browser, else UTC. ``init_app`` replaces Flask-Babel's
``dateformat``, ``datetimeformat`` and ``timeformat`` filters, so every template follows."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import pytz
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import _get_current_context as babel_context
from flask_babel import force_locale, get_locale, get_timezone
from flask_login import current_user

#: The cookie static/js/timezone.js sets for anonymous visitors.
TIMEZONE_COOKIE = "tz"


def select_locale() -> str:
    """The switch on the page (kept in the session), then the profile, then the browser."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or languages[0]


@cache
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def valid_zone(name: str | None) -> str | None:
    """``name`` if it is an IANA time zone this machine knows, else None."""
    return name if name and name in known_zones() else None


def select_timezone() -> str | None:
    """The profile's zone; for an anonymous visitor, the browser's (cookie); else None (UTC)."""
    if not has_request_context():
        return None
    if current_user and current_user.is_authenticated:
        return valid_zone(current_user.timezone)
    return valid_zone(request.cookies.get(TIMEZONE_COOKIE))


def current_language() -> str:
    """The request's language code, for caches of translated lists."""
    return str(get_locale() or "en")


def current_zone() -> ZoneInfo:
    """The zone times are shown in now (the reader's, or a mail recipient's)."""
    return ZoneInfo(valid_zone(str(get_timezone())) or "UTC")


@contextmanager
def reader(locale: str | None, zone: str | None) -> Iterator[None]:
    """Render in someone else's language and time zone (an e-mail to its recipient)."""
    languages = current_app.config["LANGUAGES"]
    chosen = locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
    ctx = babel_context()
    saved = getattr(ctx, "babel_tzinfo", None) if ctx is not None else None
    with force_locale(chosen):
        if ctx is not None:
            ctx.babel_tzinfo = pytz.timezone(valid_zone(zone) or "UTC")
        try:
            yield
        finally:
            if ctx is not None:
                if saved is None:
                    vars(ctx).pop("babel_tzinfo", None)
                else:
                    ctx.babel_tzinfo = saved


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:  # naive datetimes are UTC throughout the app
        value = value.replace(tzinfo=UTC)
    return value.astimezone(current_zone())


def zone_label(value: datetime) -> str:
    """The zone's short name ("CET", "EST", "UTC"), or its offset where it has none
    ("UTC+4", "UTC+5:30")."""
    local = _local(value)
    name = local.tzname() or ""
    if name.isalpha():
        return name
    offset = local.utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def format_date(value: date | datetime | None, format: str | None = None) -> str:
    """A date in the locale's medium format ("long" and "full" are kept; "short" is not,
    because 12/1/26 means two different days in two countries)."""
    if not value:  # None, or a missing value of the template
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    pattern = format if format in ("long", "full") else "medium"
    return babel_format_date(value, pattern, locale=get_locale())


def format_time(value: datetime | None, format: str | None = None) -> str:
    """Hours and minutes in the reader's zone, with the zone named: "14:05 CET"."""
    if not value:  # None, or a missing value of the template
        return ""
    local = _local(value)
    return f"{babel_format_time(local, 'short', locale=get_locale())} {zone_label(value)}"


def format_datetime(value: datetime | None, format: str | None = None) -> str:
    """Date and time in the reader's zone, the zone named: "6 Dec 2026, 14:05 CET". The
    format argument of the old calls is accepted and ignored: one format everywhere."""
    if not value:  # None, or a missing value of the template
        return ""
    if not isinstance(value, datetime):
        return format_date(value, format)
    locale = get_locale() or Locale.parse("en")
    pattern = locale.datetime_formats.get("medium", "{1}, {0}")
    return str(pattern).format(format_time(value), format_date(value))


def init_app(app: Flask) -> None:
    """After Babel's init_app: these filters replace Flask-Babel's."""
    app.jinja_env.filters.update(
        dateformat=format_date, datetimeformat=format_datetime, timeformat=format_time
    )
