"""`flask registry import`: an existing registry brought in from CSV or XLSX, checked first,
idempotent, every decision on the audit trail with the actor "import"."""

import hashlib
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from educational.accounts.models import User
from educational.accreditation.granting import next_registry_id
from educational.accreditation.models import (
    Accreditation,
    AuditFirm,
    FirmAffiliation,
    RegistryProfile,
    StatusChange,
)
from educational.core.audit import AuditEvent, verify_chain
from educational.core.db import db
from educational.experience.models import EntryStatus, LanguageSkill
from tests.conftest import outbox_messages

HEADER = (
    "registry_id,name,email,role,standard,version,sector,specialist_areas,countries,"
    "languages,valid_from,valid_until,status,firm,public"
)
ROWS = [
    "ASI-000123,Ana Sousa,ana@example.org,auditor,PS,3,aluminium-smelting,,BR;PT,pt;en:B2,"
    "2025-01-10,2028-01-09,active,Auditoria Lda,yes",
    "ASI-000123,Ana Sousa,ana@example.org,auditor,COC,2,casthouse,,BR;PT,pt;en:B2,"
    "2025-01-10,2028-01-09,active,Auditoria Lda,yes",
    "ASI-000007,Li Wei,li.wei@example.org,specialist,,,,human-rights;ghg-emissions,CN,zh,"
    "2024-06-01,2027-05-31,suspended,,no",
    'ASI-000045,"Müller, Jörg",jorg@example.org,lead_auditor,PS,3,bauxite-mining,,DE;GN,de,'
    "2023-03-01,2026-02-28,expired,,yes",
]


def write(tmp_path, rows, name="registry.csv", header=HEADER, bom=True):
    path = tmp_path / name
    text = "\n".join([header, *rows]) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return path


def run(app, *args):
    return app.test_cli_runner().invoke(args=["registry", "import", *map(str, args)])


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_registry_comes_in_whole_with_its_scopes_firms_languages_and_audit_trail(
    app, synced_courses, tmp_path
):
    path = write(tmp_path, ROWS)
    result = run(app, path)
    assert result.exit_code == 0, result.output
    assert "Imported: added" in result.output
    with app.app_context():
        ana = db.session.scalar(
            select(RegistryProfile).where(RegistryProfile.registry_id == "ASI-000123")
        )
        assert ana.public and ana.user.email == "ana@example.org"
        assert ana.user.email_confirmed_at is None  # not confirmed until they set a password
        (auditor,) = ana.accreditations
        assert auditor.role == "auditor" and auditor.status == "active"
        assert sorted((s.standard, s.version, s.sector) for s in auditor.scopes) == [
            ("COC", "2", "casthouse"),
            ("PS", "3", "aluminium-smelting"),
        ]
        assert auditor.countries == ["BR", "PT"]
        assert (auditor.valid_from, auditor.valid_until) == (date(2025, 1, 10), date(2028, 1, 9))
        firm = db.session.scalar(select(AuditFirm).where(AuditFirm.name == "Auditoria Lda"))
        (affiliation,) = db.session.scalars(select(FirmAffiliation)).all()
        assert affiliation.firm_id == firm.id and affiliation.profile_id == ana.id
        languages = db.session.execute(
            select(LanguageSkill.language, LanguageSkill.proficiency, LanguageSkill.status).where(
                LanguageSkill.user_id == ana.user_id
            )
        ).all()
        assert sorted(languages) == [("en", "B2", EntryStatus.VERIFIED), ("pt", "C1", "verified")]

        li = db.session.scalar(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.registry_id == "ASI-000007")
        )
        assert li.status == "suspended" and li.scopes == []
        assert li.specialist_areas == ["ghg-emissions", "human-rights"]
        assert li.profile.public is False
        jorg = db.session.scalar(
            select(RegistryProfile).where(RegistryProfile.registry_id == "ASI-000045")
        )
        assert jorg.user.name == "Müller, Jörg"
        assert jorg.accreditations[0].role == "lead_auditor"

        # Every record added is an audit event by "import", naming the file's SHA-256.
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("import.%"))
        ).all()
        assert {event.actor_label for event in events} == {"import"}
        assert {event.data["file_sha256"] for event in events} == {digest}
        assert {event.action for event in events} == {
            "import.person_added",
            "import.accreditation_added",
            "import.firm_added",
        }
        added = next(
            event.data
            for event in events
            if event.action == "import.person_added" and event.subject_id == str(ana.id)
        )
        assert added["firm_added"] == "Auditoria Lda"
        assert added["languages_added"] == ["en:B2", "pt:C1"]
        assert verify_chain().broken_id is None
        # The registry's numbers continue above the highest one imported.
        assert next_registry_id("ASI") == "ASI-000124"


def test_the_same_file_twice_changes_nothing(app, synced_courses, tmp_path):
    path = write(tmp_path, ROWS)
    assert run(app, path).exit_code == 0
    with app.app_context():
        events, changes = count(AuditEvent), count(StatusChange)
    again = run(app, path)
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output
    with app.app_context():
        assert (count(AuditEvent), count(StatusChange)) == (events, changes)


def test_a_changed_row_updates_the_record_with_a_status_change_and_an_audit_event(
    app, synced_courses, tmp_path
):
    assert run(app, write(tmp_path, ROWS)).exit_code == 0
    changed = [
        ROWS[0].replace("2028-01-09,active", "2028-06-30,suspended"),
        ROWS[1].replace("2028-01-09,active", "2028-06-30,suspended"),
        *ROWS[2:],
    ]
    result = run(app, write(tmp_path, changed, name="second.csv"))
    assert result.exit_code == 0, result.output
    assert "changed 1" in result.output
    with app.app_context():
        accreditation = db.session.scalar(
            select(Accreditation)
            .join(RegistryProfile)
            .where(RegistryProfile.registry_id == "ASI-000123")
        )
        assert accreditation.status == "suspended"
        assert accreditation.valid_until == date(2028, 6, 30)
        last = accreditation.changes[-1]
        assert (last.from_status, last.to_status) == ("active", "suspended")
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "import.accreditation_changed")
        )
        assert event.data["changes"]["status"] == ["active", "suspended"]
        assert event.data["changes"]["valid_until"] == ["2028-01-09", "2028-06-30"]


def test_a_dry_run_prints_what_would_happen_and_writes_nothing(app, synced_courses, tmp_path):
    result = run(app, write(tmp_path, ROWS), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would add person ASI-000123" in result.output
    assert "would add accreditation ASI-000007 specialist" in result.output
    assert "Dry run, nothing written" in result.output
    with app.app_context():
        assert count(RegistryProfile) == 0 and count(AuditEvent) == 0
        assert next_registry_id("ASI") == "ASI-000001"


def test_every_problem_is_reported_by_line_and_nothing_is_written(app, synced_courses, tmp_path):
    rows = [
        ROWS[0],
        ROWS[0].replace("aluminium-smelting", "tin-mining"),  # 3: unknown sector
        ROWS[0],  # 4: the same scope again
        ROWS[2].replace("Li Wei", "Wei Li"),  # 5: another name for ASI-000007? (first: fine)
        ROWS[2].replace("Li Wei", "Li W."),  # 6: disagrees with line 5
        ROWS[3].replace(",PS,", ",XYZ,"),  # 7: unknown standard
        ROWS[3]
        .replace("2023-03-01", "01/03/2023")
        .replace("ASI-000045", "ASI-000046")
        .replace("jorg@", "jorg2@"),  # 8: not a date
        ROWS[3]
        .replace("2026-02-28", "2022-02-28")
        .replace("ASI-000045", "ASI-000047")
        .replace("jorg@", "jorg3@"),  # 9: ends before it starts
        ROWS[3].replace("jorg@example.org", "jorg-at-example").replace("ASI-000045", "ASI-000048"),
        ROWS[3]
        .replace("DE;GN", "DE;XX")
        .replace("ASI-000045", "ASI-000049")
        .replace("jorg@", "jorg5@"),  # 11: unknown country
        ROWS[3]
        .replace(",expired,", ",lapsed,")
        .replace("ASI-000045", "ASI-000050")
        .replace("jorg@", "jorg6@"),  # 12: unknown status
        ROWS[3]
        .replace(",yes", ",maybe")
        .replace("ASI-000045", "ASI-000051")
        .replace("jorg@", "jorg7@"),  # 13: public is not yes or no
        ROWS[3].replace("ASI-000045", "XYZ-000052").replace("jorg@", "jorg8@"),  # 14
        ROWS[3].replace("ASI-000045", "ASI-000053").replace("jorg@", "ana@"),  # 15
    ]
    path = write(tmp_path, rows)
    result = run(app, path)
    assert result.exit_code == 1
    out = result.output
    expected = {
        3: "sector 'tin-mining' is not a sector of PS",
        4: "the scope PS/aluminium-smelting of ASI-000123 (auditor) is given twice",
        6: "name of ASI-000007 differs from line 5",
        7: "standard 'XYZ' is not a known standard",
        8: "valid_from '01/03/2023' is not a date written YYYY-MM-DD",
        9: "valid_until 2022-02-28 is before valid_from 2023-03-01",
        10: "email 'jorg-at-example' is not an e-mail address",
        11: "countries: 'XX' is not a known ISO 3166-1 alpha-2 country code",
        12: "status 'lapsed' is not a known status",
        13: "public 'maybe' is not yes or no",
        14: "registry_id XYZ-000052 does not start with the scheme's prefix ASI-",
        15: "email ana@example.org is already given to ASI-000123",
    }
    for line, message in expected.items():
        assert f"{path}:{line}: {message}" in out, (line, out)
    assert "nothing was imported" in out
    with app.app_context():
        assert count(RegistryProfile) == 0 and count(User) == 0 and count(AuditEvent) == 0


def test_an_account_that_exists_is_given_the_registry_id(app, synced_courses, make_user, tmp_path):
    make_user(email="ana@example.org", name="Ana S.")
    assert run(app, write(tmp_path, ROWS[:2])).exit_code == 0
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
        assert count(User) == 1
        assert user.name == "Ana Sousa"  # the registry's name is the record
        profile = db.session.scalar(
            select(RegistryProfile).where(RegistryProfile.user_id == user.id)
        )
        assert profile.registry_id == "ASI-000123"


def test_an_address_that_belongs_to_another_registry_id_is_refused(app, synced_courses, tmp_path):
    assert run(app, write(tmp_path, ROWS[:2])).exit_code == 0
    other = ROWS[2].replace("li.wei@example.org", "ana@example.org")
    result = run(app, write(tmp_path, [other], name="other.csv"))
    assert result.exit_code == 1
    assert "email ana@example.org belongs to ASI-000123 in the registry, not to ASI-000007" in (
        result.output
    )


def test_imported_people_appear_in_the_public_registry_by_their_consent(
    app, client, synced_courses, tmp_path
):
    assert run(app, write(tmp_path, ROWS)).exit_code == 0
    page = client.get("/registry?status=any").get_data(as_text=True)
    assert "ASI-000123" in page and "Ana Sousa" in page
    assert "ASI-000007" not in page  # public: no
    assert client.get("/registry/ASI-000123").status_code == 200
    assert client.get("/registry/ASI-000007").status_code == 404


def test_invitations_are_queued_with_a_link_to_set_a_password(
    app, client, synced_courses, tmp_path
):
    result = run(app, write(tmp_path, ROWS), "--invite")
    assert result.exit_code == 0, result.output
    assert "Invitations queued: 3" in result.output
    messages = outbox_messages(app, "import_invitation")
    assert sorted(message.recipient for message in messages) == [
        "ana@example.org",
        "jorg@example.org",
        "li.wei@example.org",
    ]
    body = next(m.body for m in messages if m.recipient == "ana@example.org")
    link = next(line for line in body.splitlines() if "/reset/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    # Run again: nobody new, nobody invited twice.
    assert "Invitations queued: 0" in run(app, write(tmp_path, ROWS), "--invite").output


def test_an_xlsx_with_date_cells_imports_like_the_csv(app, synced_courses, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    awa = ["ASI-000200", "Awa Diallo", "awa@example.org", "auditor", "PS", 3,
           "bauxite-mining", None, "GN;SN", "fr", date(2025, 2, 1), date(2028, 1, 31),
           "active", None, "yes"]  # fmt: skip
    sheet.append(awa)
    sheet.append(awa)  # the same scope twice
    path = tmp_path / "registry.xlsx"
    workbook.save(path)
    result = run(app, path)
    assert result.exit_code == 1
    assert f"{path}:3: the scope PS/bauxite-mining of ASI-000200 (auditor) is given twice" in (
        result.output
    )
    sheet.delete_rows(3)
    workbook.save(path)
    result = run(app, path)
    assert result.exit_code == 0, result.output
    with app.app_context():
        accreditation = db.session.scalar(select(Accreditation))
        assert accreditation.valid_until == date(2028, 1, 31)
        assert accreditation.scopes[0].version == "3"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", ":1: the file is empty"),
        (b"\xef\xbb\xbf", ":1: the file is empty"),
        (HEADER.encode() + b"\n", ":1: the file has a header but no rows"),
        (b"registry_id,name\nASI-1,Ana\n", ":1: missing columns email, role"),
        (HEADER.replace(",", ";").encode() + b"\n", ":1: the columns are separated by semicolons"),
        (
            HEADER.encode() + b"\n" + ROWS[0].replace("Ana", "An\xe1").encode("latin-1"),
            ":2: the file is not UTF-8 (byte 0xe1)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ":1: this is not a CSV file"),
        (HEADER.encode() + b'\n"ASI-000001,Ana', ":2: not valid CSV"),
    ],
)
def test_bad_files_get_a_clear_message_and_no_traceback(
    app, synced_courses, tmp_path, content, message
):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    result = run(app, path)
    assert result.exit_code == 1, result.output
    assert f"{path}{message}" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_a_spreadsheet_name_on_a_text_file_and_a_missing_file(app, synced_courses, tmp_path):
    path = tmp_path / "registry.xlsx"
    path.write_text(HEADER)
    result = run(app, path)
    assert result.exit_code == 1
    assert f"{path}:1: the file is named like a spreadsheet but is not an .xlsx file" in (
        result.output
    )
    missing = run(app, tmp_path / "nope.csv")
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_an_extra_column_is_a_warning_and_a_quoted_line_break_keeps_line_numbers(
    app, synced_courses, tmp_path
):
    rows = [
        ROWS[0] + ",note",
        'ASI-000124,"Ana\nSecond line",x@example.org,auditor,PS,3,casthouse,,PT,pt,'
        "2025-01-10,2028-01-09,active,,yes,",
        ROWS[2].replace("2027-05-31", "2027-13-31") + ",",
    ]
    path = write(tmp_path, rows, header=HEADER + ",remarks")
    result = run(app, path)
    assert f"{path}:1: warning: the column 'remarks' is not known; it is ignored" in result.output
    # The record starting on line 3 spans lines 3 and 4; the next starts on line 5.
    assert f"{path}:5: valid_until '2027-13-31' is not a date" in result.output


def test_the_example_files_of_the_documentation_import_cleanly(app, synced_courses):
    examples = Path(__file__).parents[2] / "docs" / "examples"
    result = run(app, examples / "registry-import.csv")
    assert result.exit_code == 0, result.output
    result = app.test_cli_runner().invoke(
        args=["courses", "import-completions", str(examples / "completions-import.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "added 3" in result.output
