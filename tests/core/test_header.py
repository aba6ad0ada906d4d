"""The page header (templates/base.html): on a phone it folds into a menu that opens without
JavaScript (details/summary); its language switch has a name of its own (issue 12)."""

import re


def header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_the_header_has_a_bar_and_a_menu_that_opens_without_javascript(client):
    page = header(client.get("/").get_data(as_text=True))
    assert '<div class="header-bar">' in page
    menu = page[page.index('<details class="header-menu">') : page.index("</details>")]
    assert "<summary>Menu</summary>" in menu
    # The menu holds the same links as the bar, the log-in and the language switch.
    for link in ('href="/registry"', 'href="/login"', 'action="/language"'):
        assert link in menu
    assert "<script" not in page


def test_the_menu_holds_the_personal_links_of_a_logged_in_user(client, auth, make_user):
    user = make_user("learner")
    auth.login(user.email)
    page = header(client.get("/").get_data(as_text=True))
    menu = page[page.index('<details class="header-menu">') : page.index("</details>")]
    assert 'href="/certificates"' in menu
    assert "Log out" in menu


def test_the_language_switch_is_named_apart_from_a_forms_language_field(client):
    page = header(client.get("/").get_data(as_text=True))
    ids = re.findall(r'<select id="([^"]+)" name="language">', page)
    assert ids == ["bar-language", "menu-language"]
    for select_id in ids:
        assert f'<label for="{select_id}" class="visually-hidden">Site language</label>' in page
    assert ">Language<" not in page
