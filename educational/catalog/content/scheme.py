"""scheme.yml: the scheme's standards, sectors, specialist areas, roles and their rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from educational.catalog.content.fields import (
    Fields,
    check_unique,
    node_text,
    peek_text,
    read_fields,
)
from educational.catalog.content.model import (
    CpdCategory,
    CycleRules,
    Requirement,
    Role,
    Scheme,
    Sector,
    SpecialistArea,
    Standard,
    StandardVersion,
)
from educational.catalog.content.names import (
    CODE,
    CODE_HINT,
    ROLE,
    ROLE_HINT,
    VERSION,
    VERSION_HINT,
)
from educational.catalog.content.problems import Report
from educational.catalog.content.yamlsource import (
    Map,
    Node,
    Seq,
    describe,
    quote,
)

SCHEME_KEYS = (
    "code",
    "name",
    "default_language",
    "languages",
    "validity_years",
    "reminder_days",
    "four_eyes",
    "conflict_window_years",
    "standards",
    "sectors",
    "specialist_areas",
    "roles",
    "cpd",
    "training_reminder_days",
    "monitoring",
    "complaints",
    "appeals",
    "registry",
)
SCHEME_REQUIRED = ("code", "name", "default_language", "languages", "validity_years")

#: Requirement kinds and their fields: (whole-number fields, name fields, optional fields).
#: The accreditation rules engine gives them meaning; here only their shape is checked.
REQUIREMENT_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "course": ((), ("course",), ()),
    "standard_course": ((), (), ()),
    "qualification": ((), ("qualification_kind",), ()),
    "audits": (("min_audits", "min_days", "window_years"), (), ("as_role",)),
    "sector_experience": (("min_audits", "min_work_years"), (), ()),
    "country_experience": (("min_entries",), (), ()),
    "specialist_area_evidence": ((), (), ()),
    # At renewal only (``renewal:`` of a role): read over the cycle that ends.
    "cpd": (("hours_per_cycle",), (), ("hours_per_year",)),
    "witness": ((), (), ("min_satisfactory",)),
}
#: Kinds read over an accreditation cycle, so only allowed under a role's ``renewal:``.
RENEWAL_KINDS = ("cpd", "witness")
#: Optional whole-number fields of a requirement and their defaults.
OPTIONAL_COUNTS = {"hours_per_year": 0, "min_satisfactory": 1}
#: The sections of the cycle after accreditation: section -> {key in scheme.yml: field of
#: ``CycleRules``}. Every key is optional; ``CycleRules`` holds the defaults.
CYCLE_SECTIONS: dict[str, dict[str, str]] = {
    "monitoring": {
        "upheld_complaint_months": "upheld_complaint_months",
        "major_concerns_months": "major_concerns_months",
        "minor_concerns_months": "minor_concerns_months",
        "new_sector_months": "new_sector_months",
    },
    "complaints": {
        "acknowledge_days": "complaint_acknowledge_days",
        "response_days": "complaint_response_days",
        "decide_days": "complaint_decide_days",
    },
    "appeals": {"window_days": "appeal_window_days", "decide_days": "appeal_decide_days"},
    "registry": {
        "show_under_appeal": "publish_under_appeal",
        "show_upheld_complaints": "publish_upheld_complaints",
    },
}
#: The audit roles ``as_role`` may name.
AUDIT_ROLES = ("lead",)
#: Requirement kinds read per standard and sector: a role with ``scoped: false`` cannot
#: have them.
SCOPED_KINDS = ("standard_course", "sector_experience")
#: Years of the conflict-of-interest window when scheme.yml does not say.
DEFAULT_CONFLICT_WINDOW_YEARS = 3


@dataclass(frozen=True)
class SchemeSource:
    """The scheme, and what the rest of the tree must be checked against."""

    scheme: Scheme
    #: Courses named by ``{kind: course}`` requirements, with their line in scheme.yml.
    course_refs: list[tuple[str, int]]


def load_scheme(root: Path, report: Report) -> SchemeSource | None:
    path = root / "scheme.yml"
    if not path.is_file():
        report.add(
            1, "scheme.yml is missing; every content folder needs one (see courses/README.md)"
        )
        return None
    top = read_fields(path, report, "scheme.yml", allowed=SCHEME_KEYS, required=SCHEME_REQUIRED)
    if top is None:
        return None
    languages = [code for code, _line in top.languages("languages")]
    default_language = top.language("default_language")
    if default_language and languages and default_language not in languages:
        report.add(
            top.line_of("default_language"),
            f'default_language "{default_language}" is not in languages ({", ".join(languages)})',
        )
    reminder_days = [
        _positive(item, report, f'"reminder_days" item {index}')
        for index, item in enumerate(top.items("reminder_days"), start=1)
    ]
    names = _Names(languages, default_language)
    sectors = _named_list(top, "sectors", "sector", names)
    standards = _standards(top, {code for code, _name, _labels in sectors}, names)
    course_refs: list[tuple[str, int]] = []
    roles = _roles(top, course_refs, names)
    cpd_categories = _cpd_categories(top, names)
    _check_cpd_categories(roles, cpd_categories, top)
    scheme = Scheme(
        code=top.ident("code", pattern=CODE, hint=CODE_HINT),
        name=top.text("name"),
        default_language=default_language,
        languages=tuple(languages),
        validity_years=top.integer("validity_years", 0, minimum=1),
        reminder_days=tuple(reminder_days),
        four_eyes=top.boolean("four_eyes"),
        conflict_window_years=top.integer(
            "conflict_window_years", DEFAULT_CONFLICT_WINDOW_YEARS, minimum=1
        ),
        standards={standard.code: standard for standard in standards},
        sectors={code: Sector(code, name, labels) for code, name, labels in sectors},
        specialist_areas={
            code: SpecialistArea(code, name, labels)
            for code, name, labels in _named_list(top, "specialist_areas", "specialist area", names)
        },
        roles=roles,
        cpd_categories=cpd_categories,
        cycle=_cycle_rules(top),
    )
    return SchemeSource(scheme, course_refs)


def _cycle_rules(top: Fields) -> CycleRules:
    """The ``monitoring``, ``complaints``, ``appeals`` and ``registry`` sections and
    ``training_reminder_days``, over ``CycleRules``' defaults."""
    values: dict[str, Any] = {}
    defaults = CycleRules()
    if top.has("training_reminder_days"):
        values["training_reminder_days"] = tuple(
            _positive(item, top.report, f'"training_reminder_days" item {index}')
            for index, item in enumerate(top.items("training_reminder_days"), start=1)
        )
    for section, keys in CYCLE_SECTIONS.items():
        node = top.node(section)
        if node is None:
            continue
        item = Fields(node, top.report, f'"{section}"', allowed=tuple(keys))
        for key, name in keys.items():
            if not item.has(key):
                continue
            default = getattr(defaults, name)
            if isinstance(default, bool):
                values[name] = item.boolean(key, default)
            else:
                values[name] = item.integer(key, default, minimum=1)
    return CycleRules(**values)


def _cpd_categories(top: Fields, names: _Names) -> dict[str, CpdCategory]:
    node = top.node("cpd")
    if node is None:
        return {}
    section = Fields(node, top.report, '"cpd"', allowed=("categories",), required=("categories",))
    found: list[tuple[CpdCategory, int]] = []
    for index, entry in enumerate(section.items("categories", min_items=1), start=1):
        code = peek_text(entry, "code")
        item = Fields(
            entry,
            top.report,
            f"CPD category {quote(code)}" if code else f"CPD category {index}",
            allowed=("code", "name", "max_hours_per_cycle"),
            required=("code", "name"),
        )
        cap = (
            item.integer("max_hours_per_cycle", 0, minimum=1)
            if item.has("max_hours_per_cycle")
            else None
        )
        name, labels = names.read(item)
        found.append((CpdCategory(item.ident("code"), name, cap or None, labels), item.line))
    codes = [(category.code, line) for category, line in found if category.code]
    check_unique(codes, top.report, "CPD category code", "CPD category codes must be unique")
    return {category.code: category for category, _line in found}


def _check_cpd_categories(
    roles: dict[str, Role], categories: dict[str, CpdCategory], top: Fields
) -> None:
    """A role that requires CPD hours needs categories to log them in."""
    if categories:
        return
    for code, role in roles.items():
        if any(requirement.kind == "cpd" for requirement in role.renewal_requirements):
            top.report.add(
                top.line_of("roles"),
                f'role "{code}" requires CPD hours at renewal, but scheme.yml has no '
                '"cpd: categories:" to log them in',
            )


def _positive(node: Node, report: Report, label: str) -> int:
    value = getattr(node, "value", None)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    report.add(node.line, f"{label} must be a whole number of at least 1; it is {describe(node)}")
    return 0


Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Names:
    """How a ``name`` is read: plain text (one language), or a mapping of the scheme's
    languages to text (``name: {en: Casthouse, fr: Fonderie}``) that must hold the default
    language's name."""

    languages: list[str]
    default_language: str

    def read(self, item: Fields, key: str = "name") -> tuple[str, Labels]:
        """The name in the default language, and the names in the other languages."""
        node = item.node(key)
        if not isinstance(node, Map):
            return item.text(key), ()
        found: dict[str, str] = {}
        for language, entry in node.entries.items():
            if self.languages and language not in self.languages:
                item.report.add(
                    entry.key_line,
                    f'{item.what}: "{key}" has the language {quote(language)}, which is not '
                    f"in languages ({', '.join(self.languages)})",
                )
                continue
            text = node_text(entry.node, item.report, f'"{key}" in {quote(language)}')
            if text:
                found[language] = text
        default = found.pop(self.default_language, "")
        if not default:
            item.report.add(
                item.line_of(key),
                f'{item.what}: "{key}" must give the name in the default language '
                f'"{self.default_language}"',
            )
        return default, tuple(sorted(found.items()))


def _named_list(top: Fields, key: str, noun: str, names: _Names) -> list[tuple[str, str, Labels]]:
    """A list of {code, name} items (sectors, specialist areas) as (code, name, labels)."""
    found: list[tuple[tuple[str, str, Labels], int]] = []
    for index, node in enumerate(top.items(key), start=1):
        code = peek_text(node, "code")
        what = f"{noun} {quote(code)}" if code else f"{noun} {index}"
        item = Fields(node, top.report, what, allowed=("code", "name"), required=("code", "name"))
        found.append(((item.ident("code"), *names.read(item)), item.line_of("code")))
    codes = [(code, line) for (code, _name, _labels), line in found if code]
    check_unique(codes, top.report, f"{noun} code", f"{noun} codes must be unique")
    return [triple for triple, _line in found]


def _standards(top: Fields, sectors: set[str], names: _Names) -> list[Standard]:
    report = top.report
    found: list[tuple[Standard, int]] = []
    for index, node in enumerate(top.items("standards"), start=1):
        name = peek_text(node, "code")
        item = Fields(
            node,
            report,
            f"standard {quote(name)}" if name else f"standard {index}",
            allowed=("code", "name", "sectors", "versions"),
            required=("code", "name", "versions"),
        )
        code = item.ident("code", pattern=CODE, hint=CODE_HINT)
        covered = item.idents("sectors")
        for sector, line in covered:
            if sectors and sector not in sectors:
                report.add(
                    line,
                    f'standard "{code}" lists the sector "{sector}", which is not in sectors '
                    f"(known: {', '.join(sorted(sectors))})",
                )
        check_unique(covered, report, "sector", f'the sectors of standard "{code}" must differ')
        versions = _versions(item, code)
        name, labels = names.read(item)
        standard = Standard(code, name, tuple(s for s, _ in covered), versions, labels)
        found.append((standard, item.line_of("code")))
    codes = [(standard.code, line) for standard, line in found if standard.code]
    check_unique(codes, report, "standard code", "standard codes must be unique")
    return [standard for standard, _line in found]


def _versions(standard: Fields, code: str) -> tuple[StandardVersion, ...]:
    report = standard.report
    found: list[tuple[StandardVersion, int]] = []
    previous: StandardVersion | None = None
    for index, node in enumerate(standard.items("versions", min_items=1), start=1):
        name = peek_text(node, "version")
        item = Fields(
            node,
            report,
            f'version {quote(name) if name else index} of standard "{code}"',
            allowed=("version", "published", "transition_months"),
            required=("version", "published"),
        )
        version = StandardVersion(
            item.ident("version", pattern=VERSION, hint=VERSION_HINT),
            item.date("published") or date.min,
            item.integer("transition_months", 0, minimum=0),
        )
        if previous is not None and date.min < version.published <= previous.published:
            report.add(
                item.line_of("published"),
                f'version "{version.version}" of standard "{code}" is published on '
                f'{version.published}, not after version "{previous.version}" '
                f"({previous.published}); list the versions oldest first",
            )
        previous = version
        found.append((version, item.line_of("version")))
    names = [(version.version, line) for version, line in found if version.version]
    check_unique(names, report, "version", f'the versions of standard "{code}" must differ')
    return tuple(version for version, _line in found)


def _roles(top: Fields, course_refs: list[tuple[str, int]], names: _Names) -> dict[str, Role]:
    report = top.report
    node = top.node("roles")
    if node is None:
        return {}
    if not isinstance(node, Map):
        report.add(node.line, f'"roles" must be a mapping of role names; it is {describe(node)}')
        return {}
    roles: dict[str, Role] = {}
    include_lines: dict[str, int] = {}
    scoped_lines: dict[str, int] = {}
    for code, entry in node.entries.items():
        if ROLE.fullmatch(code) is None:
            report.add(entry.key_line, f"role name {quote(code)} is not valid: use {ROLE_HINT}")
            continue
        item = Fields(
            entry.node,
            report,
            f'role "{code}"',
            allowed=(
                "name",
                "scoped",
                "includes",
                "requirements",
                "renewal",
                "witness_every_months",
            ),
            required=("name",),
        )
        includes = _includes(item)
        include_lines[code] = item.line_of("includes")
        requirements = tuple(
            _requirement(requirement, report, code, index, course_refs)
            for index, requirement in enumerate(item.items("requirements"), start=1)
        )
        renewal = tuple(
            _requirement(requirement, report, code, index, course_refs, renewal=True)
            for index, requirement in enumerate(item.items("renewal"), start=1)
        )
        witness_every = (
            item.integer("witness_every_months", 0, minimum=1)
            if item.has("witness_every_months")
            else None
        )
        scoped = item.boolean("scoped", default=True)
        if not scoped:
            scoped_lines[code] = item.line_of("scoped")
        name, labels = names.read(item)
        roles[code] = Role(
            code, name, includes, requirements, scoped, labels, renewal, witness_every or None
        )
    _check_includes(roles, include_lines, report)
    _check_unscoped(roles, scoped_lines, report)
    return roles


def _check_unscoped(roles: dict[str, Role], lines: dict[str, int], report: Report) -> None:
    """A role without scopes cannot require what is read per standard and sector."""
    for code, line in lines.items():
        for requirement in _all_requirements(code, roles):
            if requirement.kind in SCOPED_KINDS:
                report.add(
                    line,
                    f'role "{code}" has "scoped: false" but requires "{requirement.kind}", '
                    "which is read per standard and sector; remove that requirement or "
                    '"scoped: false"',
                )
                break


def _all_requirements(code: str, roles: dict[str, Role]) -> list[Requirement]:
    """The role's requirements with its includes' (each role once, cycles tolerated)."""
    found: list[Requirement] = []
    seen: set[str] = set()
    waiting = [code]
    while waiting:
        current = waiting.pop()
        if current in seen or current not in roles:
            continue
        seen.add(current)
        found.extend(roles[current].requirements)
        waiting.extend(roles[current].includes)
    return found


def _includes(role: Fields) -> tuple[str, ...]:
    node = role.node("includes")
    if node is None:
        return ()
    if isinstance(node, Seq):
        return tuple(code for code, _line in role.idents("includes", ROLE, ROLE_HINT))
    name = role.ident("includes", pattern=ROLE, hint=ROLE_HINT)
    return (name,) if name else ()


def _check_includes(roles: dict[str, Role], lines: dict[str, int], report: Report) -> None:
    for code, role in roles.items():
        for included in role.includes:
            if included not in roles:
                report.add(
                    lines[code],
                    f'role "{code}" includes "{included}", which is not a role of scheme.yml '
                    f"(known: {', '.join(sorted(roles))})",
                )
        path = _include_cycle(code, roles, [code])
        if path:
            report.add(
                lines[code],
                f'role "{code}" includes itself ({" -> ".join(path)}); '
                "remove one of these includes",
            )


def _include_cycle(start: str, roles: dict[str, Role], path: list[str]) -> list[str] | None:
    for included in roles[path[-1]].includes:
        if included == start:
            return [*path, start]
        if included in roles and included not in path:
            found = _include_cycle(start, roles, [*path, included])
            if found:
                return found
    return None


def _requirement(
    node: Node,
    report: Report,
    role: str,
    index: int,
    course_refs: list[tuple[str, int]],
    *,
    renewal: bool = False,
) -> Requirement:
    kind = peek_text(node, "kind")
    place = "renewal requirement" if renewal else "requirement"
    what = f'{place} {index} of role "{role}"'
    if kind in RENEWAL_KINDS and not renewal:
        fields = Fields(node, report, what, allowed=None, required=("kind",))
        report.add(
            fields.line_of("kind"),
            f'{what} has the kind "{kind}", which is read over an accreditation cycle; '
            'list it under the role\'s "renewal:"',
        )
        return Requirement(kind, {})
    if kind not in REQUIREMENT_KINDS:
        known = [k for k in REQUIREMENT_KINDS if renewal or k not in RENEWAL_KINDS]
        fields = Fields(node, report, what, allowed=None, required=("kind",))
        if kind is not None:
            report.add(
                fields.line_of("kind"),
                f"{what} has the unknown kind {quote(kind)}; known kinds: {', '.join(known)}",
            )
        return Requirement(kind or "", {})
    counts, names, optional = REQUIREMENT_KINDS[kind]
    fields = Fields(
        node,
        report,
        f'{place} {index} ({kind}) of role "{role}"',
        allowed=("kind", *counts, *names, *optional),
        required=("kind", *counts, *names),
    )
    params: dict[str, Any] = {}
    for name in counts:
        params[name] = fields.integer(name, 0, minimum=1 if name == "window_years" else 0)
    for name in names:
        params[name] = fields.ident(name)
    for name in optional:
        if name in OPTIONAL_COUNTS:
            params[name] = fields.integer(name, OPTIONAL_COUNTS[name], minimum=0)
    if "as_role" in optional:
        params["as_role"] = None
        if fields.has("as_role"):
            params["as_role"] = fields.text("as_role")
            if params["as_role"] not in AUDIT_ROLES:
                report.add(
                    fields.line_of("as_role"),
                    f'"as_role" must be one of: {", ".join(AUDIT_ROLES)} (or left out); '
                    f"it is {quote(params['as_role'])}",
                )
    if kind == "course" and params["course"]:
        course_refs.append((params["course"], fields.line_of("course")))
    return Requirement(kind, params)
