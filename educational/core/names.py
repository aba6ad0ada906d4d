"""Countries and languages: the ISO codes the app accepts, and their names in the reader's
language, from the catalogues pycountry ships. Every feature takes them from here.

Codes are ISO 3166-1 alpha-2 for countries, in capitals ("NO"), and ISO 639-1 for
languages, in small letters ("fr"); callers normalise what people type before asking."""

import gettext
from functools import cache

import pycountry
from wtforms.fields.choices import SelectChoice

from .collation import collated
from .forms import choices
from .i18n import current_language

COUNTRY_CODES = frozenset(country.alpha_2 for country in pycountry.countries)
LANGUAGE_CODES = frozenset(
    language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")
)
#: The interface's languages, each named in itself (the language switch, the profile).
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "pt": "Português", "zh": "简体中文"}

#: pycountry's catalogue names for our languages (it has no plain "zh").
_ISO_LOCALES = {"zh": "zh_CN"}


def is_country(code: object) -> bool:
    return isinstance(code, str) and code in COUNTRY_CODES


def is_language(code: object) -> bool:
    return isinstance(code, str) and code in LANGUAGE_CODES


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in ``language`` (the request's by default); an unknown code as
    it is."""
    found = pycountry.countries.get(alpha_2=code) if code else None
    return iso_name("iso3166-1", found.name, language) if found else code


def language_name(code: str, language: str | None = None) -> str:
    """The language's name in ``language`` (the request's by default); an unknown code as
    it is."""
    found = pycountry.languages.get(alpha_2=code) if code else None
    return iso_name("iso639-3", found.name, language) if found else code


def country_choices() -> list[SelectChoice]:
    """Every country by name in the request's language, in its collation order (Égypte
    among the E in French), after an empty choice ("—")."""
    return _choices("iso3166-1", current_language())


def language_choices() -> list[SelectChoice]:
    """Every language by name in the request's language, in its collation order, after an
    empty choice ("—")."""
    return _choices("iso639-3", current_language())


@cache  # per domain and language: sorting 250 names by collation key takes a few ms
def _choices(domain: str, language: str) -> list[SelectChoice]:
    found = pycountry.countries if domain == "iso3166-1" else pycountry.languages
    names = (
        (item.alpha_2, iso_name(domain, item.name, language))
        for item in found
        if hasattr(item, "alpha_2")
    )
    return choices([("", "—"), *collated(names, key=lambda pair: pair[1])])


def iso_name(domain: str, english: str, language: str | None = None) -> str:
    """A pycountry name (``domain`` "iso3166-1" for countries, "iso639-3" for languages) in
    ``language`` (the request's by default), from the ISO catalogues pycountry ships."""
    language = language or current_language()
    if language == "en":
        return english
    return _iso_catalogue(domain, language).gettext(english)


@cache
def _iso_catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(
        domain,
        pycountry.LOCALES_DIR,
        languages=[_ISO_LOCALES.get(language, language)],
        fallback=True,
    )
