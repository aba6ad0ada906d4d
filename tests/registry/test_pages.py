"""The public registry pages: search and filters, a person's page with their history,
firms, the CSV export, and the statistics with their charts and tables."""

import csv
import io
import re

import pytest

from educational.core.export import csv_cell as defuse
from educational.registry import charts, statuslist
from tests.builders.registry import Person, days


@pytest.fixture
def people(registry):
    return {
        "ingrid": registry.add(
            Person(
                "Ingrid Berg",
                countries=["NO", "IS"],
                languages=["no", "en"],
                firms=["Fjord Assurance AS"],
                scopes=[
                    ("PS", "aluminium-smelting", "3"),
                    ("PS", "casthouse", "2", "lapsed", days(-30)),
                ],
            )
        ),
        "wang": registry.add(
            Person("Wang Wei", countries=["CN"], languages=["zh"], firms=["Fjord Assurance AS"])
        ),
        "olav": registry.add(
            Person(
                "Olav Suspendert",
                status="suspended",
                changes=[("active", "suspended", days(-3))],
                firms=["Fjord Assurance AS"],
            )
        ),
        "formula": registry.add(Person('=HYPERLINK("http://x")', countries=["BR"])),
    }


def rows_of(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/registry/([A-Z0-9-]+)">', page)


def test_registry_lists_active_people_by_name(client, people):
    page = client.get("/registry").get_data(as_text=True)
    assert rows_of(page) == [people["formula"], people["ingrid"], people["wang"]]
    assert "3 people found." in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "wang"}, ["wang"]),
        ({"country": "IS"}, ["ingrid"]),
        ({"language": "zh"}, ["wang"]),
        ({"standard": "PS", "sector": "casthouse"}, []),
        ({"status": "suspended"}, ["olav"]),
        ({"status": "any", "q": "o"}, ["olav"]),
        ({"sort": "registry_id"}, ["ingrid", "wang", "formula"]),
    ],
)
def test_registry_filters_and_sort(client, people, query, expected):
    page = client.get("/registry", query_string=query).get_data(as_text=True)
    assert rows_of(page) == [people[name] for name in expected]


def test_bad_filter_is_shown_beside_its_field(client, people):
    response = client.get("/registry?country=XX&standard=PS")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "is not a country code" in page
    assert 'aria-invalid="true"' in page


def test_registry_pages_through(client, registry, synced_courses):
    for n in range(23):
        registry.add(Person(f"Person {n:02d}", languages=[]))
    first = client.get("/registry").get_data(as_text=True)
    assert len(rows_of(first)) == 20
    assert "Page 1 of 2" in first
    second = client.get("/registry?page=2").get_data(as_text=True)
    assert len(rows_of(second)) == 3


def test_person_page(client, people):
    page = client.get(f"/registry/{people['ingrid']}").get_data(as_text=True)
    assert "Ingrid Berg" in page
    assert "Norway" in page and "Iceland" in page
    assert "Norwegian" in page
    assert "Fjord Assurance AS" in page
    assert "Aluminium smelting" in page
    assert "lapsed" in page
    assert "Status history" in page
    suspended = client.get(f"/registry/{people['olav']}").get_data(as_text=True)
    assert "Suspended" in suspended
    assert days(-3).isoformat() in suspended


def test_unknown_person_is_404(client, people):
    assert client.get("/registry/ASI-424242").status_code == 404


def test_firm_pages(client, people):
    firms = client.get("/registry/firms").get_data(as_text=True)
    assert "Fjord Assurance AS" in firms
    link = re.search(r'href="(/registry/firms/\d+)"', firms).group(1)
    page = client.get(link).get_data(as_text=True)
    # Active people only; the suspended one is not "accredited" today.
    assert people["ingrid"] in page and people["wang"] in page
    assert people["olav"] not in page
    assert client.get("/registry/firms/999999").status_code == 404


def test_csv_export_of_the_current_filter(client, people):
    response = client.get("/registry.csv?country=NO&status=any")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["registry_id"] for row in rows] == [people["ingrid"], people["olav"]]
    assert rows[0]["scopes"] == "PS v3 aluminium-smelting"
    assert rows[0]["countries"] == "IS NO"
    assert rows[0]["url"].endswith(f"/registry/{people['ingrid']}")


def test_csv_defuses_formulas(client, people):
    rows = list(csv.reader(io.StringIO(client.get("/registry.csv?country=BR").get_data(True))))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert [defuse(v) for v in ("=1+1", "+1", "-1", "@SUM", "\tx", "plain")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM",
        "'\tx",
        "plain",
    ]


def test_statistics_page_has_charts_and_tables(client, people):
    response = client.get("/registry/statistics")
    page = response.get_data(as_text=True)
    assert "3 people hold an active accreditation today." in page
    assert page.count('<svg class="chart"') == 5
    assert page.count("<table") == 5
    assert 'role="img"' in page and "<title" in page
    assert "style=" not in page
    assert '<th scope="row">China</th><td>1</td>' in page
    assert '<th scope="row">Today</th><td>3</td>' in page


def test_nav_links(client, make_user, people):
    from tests.conftest import PASSWORD

    anonymous = client.get("/").get_data(as_text=True)
    assert 'href="/registry"' in anonymous and "/members/eligibility" not in anonymous
    member = make_user("member")
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    page = client.get("/").get_data(as_text=True)
    assert "/members/eligibility" in page and "/account/api-tokens" in page


# The pure helpers behind the pages


def test_bar_chart_scales_to_the_largest():
    chart = charts.bar_chart([("a", 10), ("b", 5), ("c", 0)], width=400, left=100)
    assert [bar.width for bar in chart.bars] == [240.0, 120.0, 0.0]
    assert chart.bars[1].y > chart.bars[0].y


def test_line_chart_has_a_zero_baseline_and_round_ticks():
    chart = charts.line_chart([("Q1", 0), ("Q2", 7), ("Q3", 13)])
    assert chart.points[0].y == chart.bottom
    assert [tick.value for tick in chart.ticks] == [0, 5, 10, 15, 20]
    assert charts.nice_ceiling(1) == 1 and charts.nice_ceiling(101) == 200


def test_status_list_encoding():
    encoded = statuslist.encode([0, 9, 131_071], statuslist.MIN_BITS)
    assert encoded.startswith("u")
    assert [statuslist.is_set(encoded, i) for i in (0, 1, 9, 131_071)] == [
        True,
        False,
        True,
        True,
    ]
    assert len(statuslist.decode(encoded)) == 16_384
    assert statuslist.list_length(0) == statuslist.list_length(131_071) == 131_072
    assert statuslist.list_length(131_072) == 262_144
    with pytest.raises(ValueError, match="outside"):
        statuslist.encode([131_072], statuslist.MIN_BITS)
