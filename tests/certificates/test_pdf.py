"""The PDF: who may download it, what it says, and names in any script."""

import os

import pytest

from educational.certificates import fonts
from tests.certificates.helpers import mapped_characters, pdf_streams

CJK_FONT = next((path for path in fonts.FALLBACK_FONTS if os.path.isfile(path)), None)


def _pdf(client, code):
    response = client.get(f"/certificates/{code}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    data = response.get_data()
    assert data.startswith(b"%PDF-")
    return data


def test_owner_and_staff_download_others_may_not(client, auth, make_user, issue):
    owner = make_user()
    code = issue(owner)
    url = f"/certificates/{code}/pdf"

    response = client.get(url)
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]

    auth.login(owner.email)
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"certificate-{code}.pdf" in response.headers["Content-Disposition"]
    auth.logout()

    for role, status in (("learner", 403), ("member", 403), ("staff", 200), ("admin", 200)):
        auth.login(make_user(role).email)
        assert client.get(url).status_code == status, role
        auth.logout()
    auth.login(owner.email)
    assert client.get("/certificates/AAAA-BBBB-CCCC-DDDD-EEEE/pdf").status_code == 404


def test_the_pdf_states_the_code_the_facts_and_carries_a_qr_code(client, auth, make_user, issue):
    owner = make_user(name="Ana Souza")
    code = issue(owner)
    auth.login(owner.email)
    data = _pdf(client, code)
    content = b"\n".join(pdf_streams(data))
    # The code is set in the core font Courier, as literal text.
    assert f"({code}) Tj".encode() in content
    # The verification URL printed beside the QR code, and the QR code image itself.
    assert b"/Subtype /Image" in data
    drawn = mapped_characters(data)
    assert set("Ana Souza") - {" "} <= drawn
    assert set("ASI Auditor Course2026.1") - {" "} <= drawn


def test_a_name_with_diacritics_renders(client, auth, make_user, issue):
    name = "Zoë Łukasiewicz-Núñez Ørsted Çağlar Đặng"
    owner = make_user(name=name)
    code = issue(owner)
    auth.login(owner.email)
    drawn = mapped_characters(_pdf(client, code))
    assert set(name) - {" "} <= drawn


def test_a_chinese_name_renders_even_without_a_cjk_font(
    app, client, auth, make_user, issue, monkeypatch
):
    monkeypatch.setattr(fonts, "FALLBACK_FONTS", [])
    owner = make_user(name="张伟")
    code = issue(owner)
    auth.login(owner.email)
    data = _pdf(client, code)
    assert f"({code}) Tj".encode() in b"\n".join(pdf_streams(data))


@pytest.mark.skipif(CJK_FONT is None, reason="no CJK font installed (e.g. fonts-droid-fallback)")
def test_a_chinese_name_is_drawn_with_an_installed_cjk_font(client, auth, make_user, issue):
    owner = make_user(name="张伟 (Zhang Wei)")
    code = issue(owner)
    auth.login(owner.email)
    drawn = mapped_characters(_pdf(client, code))
    assert {"张", "伟", "Z", "W"} <= drawn


def test_without_any_unicode_font_the_pdf_is_still_made(
    client, auth, make_user, issue, monkeypatch
):
    monkeypatch.setattr(fonts, "TEXT_FONTS", [("/nonexistent/a.ttf", "/nonexistent/b.ttf")])
    owner = make_user(name="Zoë 张伟")
    code = issue(owner)
    auth.login(owner.email)
    content = b"\n".join(pdf_streams(_pdf(client, code)))
    assert f"({code}) Tj".encode() in content
    # Helvetica has Latin-1 only: what it lacks becomes "?".
    assert "(Zoë ??) Tj".encode("latin-1") in content
