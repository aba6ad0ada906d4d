"""The interface in English, French, Portuguese and Chinese.

The catalogues must hold every string the code and the templates use, translated, with the
same placeholders, and compiled: a string added to a template without a translation, or a
forgotten ``make translations``, fails here. The language of a page follows the switch on
every page, then the profile, then the browser; dates follow it too."""

import gettext
import io
import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from educational.core.db import db

ROOT = Path(__file__).parents[1]
TRANSLATIONS = ROOT / "educational" / "translations"
LANGUAGES = ("fr", "pt", "zh")
#: The keywords of `make translations` (pybabel's defaults, plus the lazy ones).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
#: base.html's skip link, in each language.
SKIP_LINK = {
    "en": "Skip to main content",
    "fr": "Aller au contenu principal",
    "pt": "Saltar para o conteúdo principal",
    "zh": "跳至主要内容",
}
#: %(name)s placeholders, printf conversions and the escaped %%.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([sdifr%])")


@cache
def source_messages() -> dict[str, str]:
    """Every msgid in the code and the templates, extracted as babel.cfg says, with where it
    was found."""
    return {msgid: where for (_context, msgid), where in source_entries().items()}


@cache
def source_entries() -> dict[tuple[str | None, str], str]:
    """Every (context, msgid) in the code and the templates, with where it was found: a
    word with a translation context (``pgettext``) is its own entry."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((context, msgid), f"{filename}:{lineno}")
    return found


@cache
def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def forms(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_the_source_has_messages():
    assert len(source_messages()) > 500
    assert "Skip to main content" in source_messages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    po = catalogue(language)
    problems = []
    for (context, msgid), where in sorted(source_entries().items(), key=lambda item: item[1]):
        message = po.get(msgid, context)
        if message is None:
            problems.append(f"{where}: not in the catalogue: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"{where}: fuzzy: {msgid!r}")
        elif not all(form.strip() for form in forms(message)):
            problems.append(f"{where}: not translated: {msgid!r}")
    assert not problems, (
        f"{len(problems)} messages need work in {language}; run `make translations`, "
        "translate them in educational/translations/"
        f"{language}/LC_MESSAGES/messages.po and run it again:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_po(language):
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language))
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)._catalog
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        actual = gettext.GNUTranslations(mo)._catalog
    # The header ("") holds dates that need not match; every message must.
    expected.pop("", None)
    actual.pop("", None)
    assert actual == expected, (
        f"educational/translations/{language}/LC_MESSAGES/messages.mo is out of date: "
        "run `make translations` (or pybabel compile -d educational/translations)"
    )


def placeholders(text: str) -> tuple[frozenset, int]:
    named, percents = set(), 0
    for match in PLACEHOLDER.finditer(text):
        if match.group(2) == "%":
            percents += 1
        else:
            named.add((match.group(1), match.group(2)))
    return frozenset(named), percents


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    problems = []
    for message in catalogue(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = frozenset().union(*(placeholders(msgid)[0] for msgid in ids))
        percents = placeholders(ids[0])[1]
        for form in forms(message):
            named, escaped = placeholders(form)
            stray = PLACEHOLDER.sub("", form).count("%")
            if named != wanted or escaped != percents or stray:
                problems.append(f"{ids[0]!r} -> {form!r}")
    assert not problems, "\n".join(problems)


def test_without_a_choice_pages_are_in_english(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and SKIP_LINK["en"] in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_switch_on_every_page_chooses_the_language(client, language):
    response = client.post("/language", data={"language": language, "next": "/courses/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/courses/")
    page = client.get("/").get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    assert SKIP_LINK[language] in page and SKIP_LINK["en"] not in page


def test_the_switch_ignores_an_unknown_language(client):
    client.post("/language", data={"language": "xx"})
    assert SKIP_LINK["en"] in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_browser_language_is_used(client, language):
    accept = {"fr": "fr-CH, fr;q=0.9, en;q=0.5", "pt": "pt-PT,pt;q=0.9", "zh": "zh-CN,zh;q=0.9"}
    page = client.get("/", headers={"Accept-Language": accept[language]}).get_data(as_text=True)
    assert SKIP_LINK[language] in page


def _set_locale(app, user, language):
    from educational.accounts.models import User

    with app.app_context():
        db.session.get(User, user.id).locale = language
        db.session.commit()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_profile_language_is_used(app, client, auth, make_user, language):
    user = make_user()
    _set_locale(app, user, language)
    auth.login(user.email)
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert SKIP_LINK[language] in page


def test_the_switch_comes_before_the_profile_and_is_kept(app, client, auth, make_user):
    user = make_user()
    _set_locale(app, user, "pt")
    auth.login(user.email)
    assert SKIP_LINK["pt"] in client.get("/", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    client.post("/language", data={"language": "zh"})
    assert SKIP_LINK["zh"] in client.get("/").get_data(as_text=True)
    from educational.accounts.models import User

    with app.app_context():
        assert db.session.get(User, user.id).locale == "zh"


def test_the_profile_form_offers_every_language(auth, client, make_user):
    auth.login(make_user().email)
    page = client.get("/profile").get_data(as_text=True)
    for name in ("English", "Français", "Português", "简体中文"):
        assert name in page


@pytest.mark.parametrize("language", ("en", *LANGUAGES))
def test_dates_follow_the_language(app, client, language):
    result = app.test_cli_runner().invoke(args=["registry", "statistics"])
    assert result.exit_code == 0, result.output
    client.post("/language", data={"language": language})
    page = client.get("/registry/statistics").get_data(as_text=True)
    # The page counts as of the UTC day; either side of midnight is accepted.
    days = [date.today() + timedelta(days=offset) for offset in (-1, 0, 1)]
    shown = [format_date(day, "long", locale=language) for day in days]
    assert any(day in page for day in shown), shown


@pytest.mark.parametrize(
    ("language", "name"), [("en", "Norway"), ("fr", "Norvège"), ("pt", "Noruega"), ("zh", "挪威")]
)
def test_country_names_follow_the_language(app, client, language, name):
    from educational.core.names import country_name

    client.post("/language", data={"language": language})
    with app.test_request_context(headers={"Accept-Language": language}):
        assert country_name("NO") == name
    page = client.get("/registry").get_data(as_text=True)
    assert name in page


# Reasons and scheme names: the checklist's reasons are message ids rendered at display time
# (educational.accreditation.reasons), the scheme's names come from scheme.yml's labels.


@cache
def asi_scheme():
    from educational.catalog.content import load_tree

    return load_tree(ROOT / "courses").tree.scheme


def test_every_reason_has_an_example():
    from educational.accreditation import reasons

    assert {message["id"] for message, _met in reasons.examples()} == set(reasons.MESSAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_reads_in_the_language(app, language):
    from educational.accreditation import reasons
    from educational.core.i18n import reader

    names = reasons.Names(asi_scheme(), {"asi-auditor": "ASI Auditor Course"})
    problems = []
    with app.test_request_context():
        for message, met in reasons.examples():
            with reader("en", None):
                english = reasons.render(message, met, names)
            with reader(language, None):
                text = reasons.render(message, met, names)
            if not text.strip() or "%(" in text or text == english:
                problems.append(f"{message['id']} {message['values']}: {text!r}")
    assert not problems, f"reasons not translated into {language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_scheme_name_is_translated(language):
    scheme = asi_scheme()
    items = [
        *scheme.roles.values(),
        *scheme.standards.values(),
        *scheme.sectors.values(),
        *scheme.specialist_areas.values(),
    ]
    missing = [item.code for item in items if not dict(item.labels).get(language, "").strip()]
    assert not missing, f"courses/scheme.yml has no {language} name for: {', '.join(missing)}"
