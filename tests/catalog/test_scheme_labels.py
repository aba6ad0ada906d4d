"""Scheme names in the reader's language: ``name:`` in scheme.yml is plain text or a mapping
of the scheme's languages; ``catalog.scheme.label`` picks the reader's, else the default."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from educational.catalog.content import load_tree
from educational.catalog.scheme import label, named, scheme_from_json, scope_label
from educational.catalog.sync import scheme_to_json

from .test_content_problems import FIXTURE, replace

COURSES = Path(__file__).parents[2] / "courses"


def _load(tmp_path: Path, *edits):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE, root)
    for edit in edits:
        edit(root)
    return load_tree(root)


def test_a_name_may_be_a_mapping_of_languages(tmp_path: Path) -> None:
    result = _load(
        tmp_path,
        replace(
            "scheme.yml",
            "{code: mining, name: Mining}",
            "{code: mining, name: {en: Mining, fr: Mines}}",
        ),
    )

    assert result.problems == []
    mining = result.tree.scheme.sectors["mining"]
    assert (mining.name, mining.labels) == ("Mining", (("fr", "Mines"),))
    assert (label(mining, "fr"), label(mining, "de"), label(mining, "en")) == (
        "Mines",
        "Mining",
        "Mining",
    )
    # The plain form still reads as before.
    assert result.tree.scheme.sectors["smelting"].labels == ()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "{fr: Mines}",
            'scheme.yml:23: sector "mining": "name" must give the name in the default '
            'language "en"',
        ),
        (
            "{en: Mining, es: Minería}",
            'scheme.yml:23: sector "mining": "name" has the language "es", which is not in '
            "languages (en, fr, de)",
        ),
        ("{en: Mining, fr: [a, b]}", 'scheme.yml:23: "name" in "fr" must be text; it is a list'),
    ],
)
def test_a_wrong_name_mapping_is_reported(tmp_path: Path, name: str, expected: str) -> None:
    result = _load(
        tmp_path,
        replace("scheme.yml", "{code: mining, name: Mining}", f"{{code: mining, name: {name}}}"),
    )

    assert [str(problem) for problem in result.problems] == [expected]


def test_the_asi_scheme_names_everything_in_every_language() -> None:
    result = load_tree(COURSES)
    scheme = result.tree.scheme
    items = [
        *scheme.roles.values(),
        *scheme.standards.values(),
        *scheme.sectors.values(),
        *scheme.specialist_areas.values(),
    ]
    for item in items:
        assert {language for language, text in item.labels if text.strip()} == {"fr", "pt", "zh"}, (
            item
        )


def test_labels_survive_the_stored_json_and_older_rows() -> None:
    scheme = load_tree(COURSES).tree.scheme
    data = json.loads(json.dumps(scheme_to_json(scheme)))
    again = scheme_from_json(data)
    assert again.sectors["casthouse"].labels == scheme.sectors["casthouse"].labels
    assert label(again.roles["auditor"], "zh") == "ASI 认可审核员"
    for sector in data["sectors"].values():
        sector.pop("labels")
    assert scheme_from_json(data).sectors["casthouse"].labels == ()


def test_the_cycle_rules_survive_the_stored_json_and_older_rows_get_the_defaults() -> None:
    scheme = load_tree(COURSES).tree.scheme
    data = json.loads(json.dumps(scheme_to_json(scheme)))
    again = scheme_from_json(data)
    assert again.content_hash == scheme.content_hash
    assert again.cpd_categories["training"].max_hours_per_cycle == 40
    assert label(again.cpd_categories["self-study"], "fr") == "Autoformation"
    assert [r.kind for r in again.roles["auditor"].renewal_requirements] == ["cpd", "witness"]
    assert again.witness_every_months("lead_auditor") == 36
    assert again.witness_every_months("specialist") is None
    # A row synced before the cycle's sections existed.
    for key in ("cpd_categories", "cycle"):
        data.pop(key)
    for role in data["roles"].values():
        role.pop("renewal_requirements")
        role.pop("witness_every_months")
    older = scheme_from_json(data)
    assert older.cycle.appeal_window_days == 30
    assert older.cpd_categories == {}
    assert older.role_requirements("auditor", renewal=True) == older.role_requirements("auditor")


@pytest.mark.parametrize(
    ("language", "role", "scope"),
    [
        ("en", "ASI Accredited Lead Auditor", "Performance Standard: Aluminium smelting"),
        (
            "fr",
            "Auditeur principal accrédité ASI",
            "Norme de performance: Électrolyse de l'aluminium",
        ),
        ("zh", "ASI 认可首席审核员", "绩效标准: 电解铝冶炼"),
    ],
)
def test_names_and_scope_labels_follow_the_reader(app, language, role, scope) -> None:
    scheme = load_tree(COURSES).tree.scheme
    with app.test_request_context(headers={"Accept-Language": language}):
        assert named(scheme, "roles", "lead_auditor") == role
        assert scope_label(scheme, "PS", "aluminium-smelting") == scope
        assert named(scheme, "sectors", "unknown-code") == "unknown-code"
