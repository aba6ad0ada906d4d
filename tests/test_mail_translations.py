"""Every e-mail, subject included, reads in French, Portuguese and Chinese: no English left.

The subjects are the lazy strings (``_l``, ``lazy_ngettext``) of the modules that queue mail;
queue_mail makes them in the recipient's language, so an eager ``_()`` or ``str(...)`` as a
subject would freeze the language of whoever caused the message, and is refused here too."""

import ast
from pathlib import Path

import pytest
from babel.support import Translations
from flask_babel import force_locale
from jinja2 import ChainableUndefined

ROOT = Path(__file__).resolve().parent.parent
MAIL_TEMPLATES = sorted((ROOT / "templates" / "email").glob("*.txt"))
LOCALES = ("fr", "pt", "zh")
SENDERS = ("queue_mail", "mail_holder")
LAZY = {"_l": 1, "lazy_gettext": 1, "lazy_ngettext": 2}
EAGER = {"_": 1, "gettext": 1, "ngettext": 2}


def mail_modules() -> list[Path]:
    return [
        path
        for path in sorted((ROOT / "educational").rglob("*.py"))
        if "translations" not in path.parts
        and any(f"{name}(" in path.read_text() for name in SENDERS)
        and not path.match("core/mail.py")
    ]


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)


def subject_messages() -> set[tuple[str, ...]]:
    """The lazy messages of every module that queues mail (their subjects among them), and
    those of subjects built by a function (``lambda: ngettext(...)``)."""
    found = set()

    def add(call: ast.Call, arity: int) -> None:
        args = call.args[:arity]
        if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
            found.add(tuple(a.value for a in args))

    for path in mail_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and _name(node) in LAZY:
                add(node, LAZY[_name(node)])
            elif isinstance(node, ast.Lambda):
                for call in ast.walk(node.body):
                    if isinstance(call, ast.Call) and _name(call) in EAGER:
                        add(call, EAGER[_name(call)])
    return found


def template_messages(app, path: Path) -> set[tuple[str, ...]]:
    found = set()
    for _line, _function, message in app.jinja_env.extract_translations(path.read_text()):
        parts = message if isinstance(message, tuple) else (message,)
        found.add(tuple(part for part in parts if part))
    return found


def catalogue(locale: str) -> Translations:
    return Translations.load(str(ROOT / "educational" / "translations"), [locale])


def missing(translations: Translations, messages: set[tuple[str, ...]]) -> list[str]:
    """The messages the catalogue has no translation for (one the same as the English, as
    "Version" in French, counts as translated)."""
    entries = translations._catalog
    gaps = []
    for message in sorted(messages):
        key = message[0] if len(message) == 1 else (message[0], 0)
        if not entries.get(key):
            gaps.append(" | ".join(message))
    return gaps


class Anything(ChainableUndefined):
    """Whatever a mail template asks its context for; a number where it counts."""

    def __round__(self, digits=None):
        return 2

    def __int__(self):
        return 2

    __index__ = __int__

    def __str__(self):
        # Babel's number format reads the number as text (``|numberformat``).
        return "2"


def test_subjects_are_made_in_the_recipients_language():
    """A subject passed to queue_mail or mail_holder is lazy (or a variable holding one)."""
    eager = []
    for path in mail_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and _name(node) in SENDERS and len(node.args) >= 2:
                subject = node.args[1]
                if isinstance(subject, ast.IfExp):
                    subjects = [subject.body, subject.orelse]
                else:
                    subjects = [subject]
                for each in subjects:
                    if isinstance(each, ast.Call) and _name(each) not in LAZY:
                        eager.append(f"{path.relative_to(ROOT)}:{each.lineno}")
    assert eager == [], "eager subjects (use _l or lazy_ngettext): " + ", ".join(eager)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_mail_subject_is_translated(locale):
    messages = subject_messages()
    assert ("Confirm your e-mail address",) in messages  # the scan finds the subjects
    assert missing(catalogue(locale), messages) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_mail_template_is_translated(app, locale):
    translations = catalogue(locale)
    gaps = {
        path.name: gap
        for path in MAIL_TEMPLATES
        if (gap := missing(translations, template_messages(app, path)))
    }
    assert gaps == {}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", MAIL_TEMPLATES, ids=lambda path: path.stem)
def test_every_mail_renders_without_english(app, locale, path):
    """Rendered as queue_mail renders it, in the recipient's language: none of the template's
    English sentences is left in the text."""
    env = app.jinja_env.overlay(undefined=Anything)
    english = [m[-1] for m in template_messages(app, path) if len(m[-1].split()) > 2]
    with app.test_request_context(), force_locale(locale):
        body = env.from_string(path.read_text()).render(days_left=3, unmet=2, hours=48, attempts=10)
    assert body.strip()
    assert [sentence for sentence in english if sentence.split("%")[0] in body] == []
