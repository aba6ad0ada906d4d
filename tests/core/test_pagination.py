"""The one page model of the registry's pages, the shortlist and the API."""

from educational.core.pagination import Page


def test_a_page_of_results_in_hand_keeps_the_total():
    page = Page.of(list(range(45)), 2, 20)
    assert (page.items, page.total, page.page, page.per_page) == (list(range(20, 40)), 45, 2, 20)
    assert page.pages == 3


def test_a_page_past_the_last_is_empty_and_keeps_the_total():
    page = Page.of(list(range(5)), 99999999999999999999999, 20)
    assert (page.items, page.total, page.pages) == ([], 5, 1)


def test_nothing_found_is_one_empty_page():
    assert Page([], 0, 1, 25).pages == 1


def test_map_turns_the_items_and_keeps_the_page():
    page = Page.of(["a", "b", "c"], 2, 2).map(str.upper)
    assert (page.items, page.total, page.page, page.per_page) == (["C"], 3, 2, 2)
