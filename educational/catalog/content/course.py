"""<slug>/course.yml: the course's description, module order, exam and certificate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from educational.catalog.content import names
from educational.catalog.content.fields import Fields, check_unique, read_fields
from educational.catalog.content.model import CourseText, Scheme
from educational.catalog.content.names import MODULE, MODULE_HINT, ROLE, ROLE_HINT
from educational.catalog.content.problems import Report
from educational.catalog.content.yamlsource import Map, describe, quote
from educational.core.names import is_language

COURSE_KEYS = (
    "title",
    "summary",
    "version",
    "language",
    "languages",
    "estimated_minutes",
    "standard",
    "required_for",
    "modules",
    "exam",
    "certificate",
    "refresher",
    "translations",
)
COURSE_REQUIRED = ("title", "summary", "version", "language", "modules")


@dataclass(frozen=True)
class CourseSpec:
    """course.yml, read; the module files and quizzes it names are checked by the folder."""

    title: str
    summary: str
    version: str
    language: str
    languages: tuple[str, ...]
    estimated_minutes: int | None
    standard_code: str | None
    standard_version: str | None
    required_for: tuple[str, ...]
    #: Module names with the line of their list item.
    modules: tuple[tuple[str, int], ...]
    exam: str | None
    exam_line: int
    certificate_validity_months: int | None
    translations: dict[str, CourseText]
    #: The slug of the course that renews this one's certificate, or None.
    refresher: str | None = None


def load_course_spec(path: Path, report: Report, scheme: Scheme | None) -> CourseSpec | None:
    top = read_fields(path, report, "course.yml", allowed=COURSE_KEYS, required=COURSE_REQUIRED)
    if top is None:
        return None
    language = top.language("language")
    languages = _languages(top, language, scheme)
    modules = top.idents("modules", MODULE, MODULE_HINT, min_items=1)
    check_unique(modules, report, "module", "list each module once")
    standard_code, standard_version = _standard(top, scheme)
    certificate = top.mapping(
        "certificate",
        "the certificate",
        allowed=("validity_months",),
        required=("validity_months",),
    )
    return CourseSpec(
        title=top.text("title"),
        summary=top.text("summary"),
        version=top.ident("version", pattern=names.VERSION, hint=names.VERSION_HINT),
        language=language,
        languages=languages,
        estimated_minutes=(
            top.integer("estimated_minutes", 0, minimum=1) if top.has("estimated_minutes") else None
        ),
        standard_code=standard_code,
        standard_version=standard_version,
        required_for=_required_for(top, scheme),
        modules=tuple(modules),
        exam=top.ident("exam") or None,
        exam_line=top.line_of("exam"),
        certificate_validity_months=(
            certificate.integer("validity_months", 0, minimum=1) if certificate else None
        ),
        translations=_translations(top, language, languages),
        refresher=_refresher(top, path),
    )


def _refresher(top: Fields, path: Path) -> str | None:
    """The course that renews this one's certificate: another course folder of the tree."""
    if not top.has("refresher"):
        return None
    slug = top.ident("refresher", pattern=names.SLUG, hint=names.SLUG_HINT)
    if not slug:
        return None
    line = top.line_of("refresher")
    own = path.parent.name
    if slug == own:
        top.report.add(
            line,
            f'refresher "{slug}" is this course itself; name another course, or remove '
            "refresher to have learners retake this one",
        )
        return None
    if not (path.parent.parent / slug / "course.yml").is_file():
        top.report.add(
            line,
            f'refresher "{slug}" has no folder {slug}/ with a course.yml; '
            "add the course or fix the name",
        )
        return None
    return slug


def _languages(top: Fields, language: str, scheme: Scheme | None) -> tuple[str, ...]:
    report = top.report
    offered = scheme.languages if scheme else ()
    if language and offered and language not in offered:
        report.add(
            top.line_of("language"),
            f'language "{language}" is not one of the scheme\'s languages ({", ".join(offered)}); '
            "add it to scheme.yml or write the course in one of them",
        )
    if not top.has("languages"):
        return (language,) if language else ()
    languages = top.languages("languages")
    for code, line in languages:
        if offered and code not in offered and code != language:
            report.add(
                line,
                f'language "{code}" is not one of the scheme\'s languages ({", ".join(offered)})',
            )
    codes = tuple(code for code, _line in languages)
    if language and language not in codes:
        report.add(
            top.line_of("languages"),
            f'"languages" must include the course\'s own language "{language}"',
        )
    return codes


def _standard(top: Fields, scheme: Scheme | None) -> tuple[str | None, str | None]:
    fields = top.mapping(
        "standard", "the standard", allowed=("code", "version"), required=("code",)
    )
    if fields is None:
        return None, None
    code = fields.text("code") or None
    version = (fields.text("version") or None) if fields.has("version") else None
    if scheme is None or code is None:
        return code, version
    standard = scheme.standards.get(code)
    if standard is None:
        known = ", ".join(sorted(scheme.standards)) or "none"
        top.report.add(
            fields.line_of("code"), f"standard {quote(code)} is not in scheme.yml (known: {known})"
        )
    elif version is not None and version not in [v.version for v in standard.versions]:
        known = ", ".join(v.version for v in standard.versions) or "none"
        top.report.add(
            fields.line_of("version"),
            f'standard "{code}" has no version {quote(version)} in scheme.yml (known: {known})',
        )
    return code, version


def _required_for(top: Fields, scheme: Scheme | None) -> tuple[str, ...]:
    roles = top.idents("required_for", ROLE, ROLE_HINT)
    for role, line in roles:
        if scheme is not None and role not in scheme.roles:
            known = ", ".join(sorted(scheme.roles)) or "none"
            top.report.add(line, f'role "{role}" is not in scheme.yml (known: {known})')
    check_unique(roles, top.report, "role", "list each role once")
    return tuple(role for role, _line in roles)


def _translations(top: Fields, language: str, languages: tuple[str, ...]) -> dict[str, CourseText]:
    node = top.node("translations")
    if node is None:
        return {}
    if not isinstance(node, Map):
        top.report.add(
            node.line,
            f'"translations" must be a mapping of language codes; it is {describe(node)}',
        )
        return {}
    translations = {}
    for code, entry in node.entries.items():
        if not is_language(code):
            top.report.add(
                entry.key_line, f"translation {quote(code)} is not an ISO 639-1 language code"
            )
            continue
        if code == language:
            top.report.add(
                entry.key_line,
                f'"{code}" is the course\'s own language; its title and summary are the ones '
                "at the top of course.yml",
            )
        elif code not in languages:
            top.report.add(
                entry.key_line,
                f'translation "{code}" is not in "languages" ({", ".join(languages)}); '
                "add it there or remove the translation",
            )
        text = Fields(
            entry.node,
            top.report,
            f'translation "{code}"',
            allowed=("title", "summary"),
            required=("title", "summary"),
        )
        translations[code] = CourseText(text.text("title"), text.text("summary"))
    return translations
