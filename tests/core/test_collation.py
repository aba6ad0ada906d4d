"""Countries, languages and names sorted by the Unicode Collation Algorithm (pyuca's DUCET), in
the reader's language: "Égypte" among the E in French, "Åland Islands" among the A in English,
Chinese in the same order at every call."""

import re

import pytest
from pyuca import Collator

from educational.core.collation import collated, collation_key
from educational.core.names import country_choices, language_choices
from tests.builders.registry import Person, registry  # noqa: F401 (a fixture)


def names(app, language: str, choices=country_choices) -> list[str]:
    with app.test_request_context(headers={"Accept-Language": language}):
        return [choice.label for choice in choices()[1:]]


def test_accented_capitals_sort_among_their_letter_in_french(app):
    countries = names(app, "fr")
    assert countries[-1] == "Zimbabwe"
    egypt, spain, usa = (countries.index(n) for n in ("Égypte", "Espagne", "États-Unis"))
    assert countries.index("Danemark") < egypt < spain < usa < countries.index("Fidji")
    islands = [n for n in countries if n.startswith("Îles")]
    assert islands, "pycountry names some islands « Îles … » in French"
    for name in islands:
        assert countries.index("Hongrie") < countries.index(name) < countries.index("Inde")


def test_aland_is_among_the_a_in_english(app):
    countries = names(app, "en")
    assert countries[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    assert countries[-1] == "Zimbabwe"


def test_the_empty_choice_stays_first(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert country_choices()[0].value == ""
        assert language_choices()[0].value == ""


def test_languages_are_collated_too(app):
    languages = names(app, "fr", language_choices)
    assert languages == sorted(languages, key=collation_key)
    # By code point "Éwé" would follow every name in a-z.
    ewe = next(n for n in languages if n.startswith("Éw"))
    assert languages.index("Estonien") < languages.index(ewe) < languages.index("Féroïen")


def test_chinese_is_in_the_ducet_order_every_time(app):
    first, again = names(app, "zh"), names(app, "zh")
    assert first == again
    ducet = Collator()
    assert first == sorted(first, key=ducet.sort_key)
    # DUCET orders Han characters by radical and stroke: 中国 (中, radical 2) before 美国
    # (美, radical 123); pinyin would need ICU's tailoring.
    assert first.index("中国") < first.index("美国")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Zoé", "Émile", "Eva", "Ève"], ["Émile", "Eva", "Ève", "Zoé"]),
        (["Østby", "Olsen", "Åsa", "Zak"], ["Åsa", "Olsen", "Østby", "Zak"]),
        # Equal by collation: the text breaks the tie, so the order never varies.
        (["b", "B"], ["b", "B"]),
    ],
)
def test_collated_sorts_names_by_letter_then_accent_then_case(words, expected):
    assert collated(words) == expected
    assert collated(reversed(words)) == expected


def test_a_firms_people_are_listed_by_collation(client, registry):  # noqa: F811
    for name in ("Zoe Zhang", "Émile Eriksen", "Eva Olsen", "Åsa Berg"):
        registry.add(Person(name, firms=["Fjord Assurance AS"]))
    firms = client.get("/registry/firms").get_data(as_text=True)
    link = re.search(r'href="(/registry/firms/\d+)"', firms).group(1)
    page = client.get(link).get_data(as_text=True)
    order = [page.index(name) for name in ("Åsa Berg", "Émile Eriksen", "Eva Olsen", "Zoe Zhang")]
    assert order == sorted(order)
