"""The page of a search is ranked alone: the same rows, in the same order, whichever way
it is found (issue 17 item 2).

On PostgreSQL the page's ids come from the search's cached ranked prefix when it holds
the page, else from a top-N sort in SQL; the facets count the unranked matches.
"""

import pytest
from django.core.cache import cache

from catalogue import results
from catalogue.models import Resource
from tests.factories import ResourceFactory
from tests.support.search import search_page, sql_page

pytestmark = pytest.mark.django_db

KINDS = ["repository", "blog", "podcast", "forum"]
LEVELS = ["beginner", "intermediate", "advanced"]


@pytest.fixture
def many(db):
    for n in range(45):
        ResourceFactory(
            title=f"Alpha {n:02d}" if n % 3 else f"Beta {n:02d}",
            summary="alpha " * (1 + n % 5) + "speech",
            kind=KINDS[n % 4],
            level=LEVELS[n % 3],
            is_featured=n % 7 == 0,
            status="archived" if n % 11 == 0 else "active",
        )
    ResourceFactory(title="Gamma", summary="Nothing in common.")


@pytest.mark.parametrize("prefix", [1000, 25, 3])
@pytest.mark.parametrize(
    "query",
    [
        "q=alpha",
        "q=alpha&page=2",
        "q=alpha&kind=blog",
        "q=alpha&level=advanced&sort=title",
        "q=alpha+speech&kind=repository&kind=forum&page=2&sort=newest",
        "q=speech&sort=relevance&level=beginner",
        "q=gamma",
        "q=nothing-here-at-all",
    ],
)
def test_the_page_and_total_are_those_of_sorting_every_match(many, monkeypatch, prefix, query):
    monkeypatch.setattr(results, "RANKED_PREFIX", prefix)
    cache.clear()
    url = f"/resources/?{query}"
    assert search_page(url) == sql_page(url)
    assert search_page(url) == sql_page(url)  # again, from the cached prefix and match set


def test_the_facets_count_the_unranked_matches(many):
    """``matched_masks`` is the bit set of every published match of the text."""
    from catalogue import facet_index, search

    ResourceFactory(title="Alpha hidden", summary="about alpha", is_published=False)
    text = Resource.objects.published().search("alpha")
    published = Resource.objects.published().filter(summary__icontains="alpha")
    index = facet_index.current()
    found, _titled = text.matched_masks(index)
    assert found == index.mask_of(list(published.values_list("pk", flat=True)))
    assert search.TextSearch(Resource.objects.none()).matched_masks(index) == (0, 0)


def binary_array(element: int, values: list[int]) -> bytes:
    import struct

    fmt, width = (">iq", 8) if element == 20 else (">ii", 4)
    head = struct.pack(">iiIii", 1, 0, element, len(values), 1)
    return head + b"".join(struct.pack(fmt, width, value) for value in values)


@pytest.mark.parametrize("element", [20, 23])
@pytest.mark.parametrize("values", [[], [0], [7, 3, 2**31 - 1], list(range(1000, 5000, 7))])
def test_ids_are_read_from_the_binary_array(element, values):
    from catalogue.word_index import ids_from_array_send

    data = binary_array(element, values) if values else None
    assert list(ids_from_array_send(data)) == values


def test_ids_past_32_bits_are_read_too():
    from catalogue.word_index import ids_from_array_send

    assert list(ids_from_array_send(binary_array(20, [5, 2**33 + 1]))) == [5, 2**33 + 1]
