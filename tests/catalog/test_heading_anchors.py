"""Module HTML that fits every reader (issue 12). Headings keep their "#" permalink beside
them, not inside (inside, every heading's accessible name ended in "#"); tables scroll in
their own box on a phone, not the page."""

from educational.catalog.rendering import render_markdown


def test_the_permalink_sits_beside_the_heading_and_is_named_by_it():
    html = render_markdown("## Scope of the *audit*\n\nText.\n")
    assert html.startswith(
        '<div class="heading-anchor"><h2 id="scope-of-the-audit">Scope of the <em>audit</em></h2>'
    )
    assert (
        '<a aria-labelledby="scope-of-the-audit" class="headerlink" href="#scope-of-the-audit"'
        in html
    )
    assert "#</a></div>\n<p>Text.</p>" in html


def test_headings_inside_other_blocks_are_handled_too():
    html = render_markdown("!!! note\n    ### Inside a note\n\n    Text.\n")
    assert '<div class="heading-anchor"><h3 id="inside-a-note">Inside a note</h3>' in html
    assert "</h3><a" in html and "#</a></div>" in html


def test_a_table_scrolls_in_its_own_box_not_the_page():
    html = render_markdown("Intro\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter.\n")
    assert '<p>Intro</p>\n<div class="table-scroll" tabindex="0"><table>' in html
    assert "</table></div>\n<p>After.</p>" in html
