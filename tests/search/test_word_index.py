"""Common words as bit sets, and the bounded ranking of very many matches (issue 17).

On PostgreSQL a search whose words are all common is answered from the facet index's
word bit sets instead of reading every match; these tests make every word of a small
catalogue "common" (``ASRHUB_SEARCH_COMMON_WORDS``) and compare with SQL.
"""

import pytest
from django.core.cache import cache
from django.db import connection

from catalogue import facet_index, results, word_index
from catalogue.models import Resource
from catalogue.search import build_query
from catalogue.versioning import catalogue_version
from tests.factories import ResourceFactory
from tests.support.search import search_page, sql_page

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the word bit sets are built from tsvectors"
)

QUERIES = [
    "speech",
    "speech recognition",
    "recognition speech",
    "alpha",
    "alph",  # a prefix that is no word: SQL answers
    "speechbrain",
    "speech alpha",
    "beta gamma",
    '"speech recognition"',  # a phrase: SQL answers
    "speech -alpha",  # a negation: SQL answers
    "speech or gamma",
    "nothing",
    "the",
]


@pytest.fixture
def words_everywhere(settings):
    """Every lexeme in two or more entries is a common word; a fresh index."""
    settings.ASRHUB_SEARCH_COMMON_WORDS = 2
    cache.clear()
    facet_index._latest = None
    yield
    facet_index._latest = None


@pytest.fixture
def catalogue(db):
    for n in range(30):
        ResourceFactory(
            title=f"Alpha speech {n:02d}" if n % 3 else f"Beta recognition {n:02d}",
            summary="Speech recognition for everyone." if n % 2 else "Gamma notes on speech.",
            description="SpeechBrain recipes." if n % 5 == 0 else "",
            status="archived" if n % 7 == 0 else "active",
            is_published=n % 13 != 0,
        )


def sql_mask(index, q: str) -> int:
    query = build_query(q)
    ids = Resource.objects.filter(search_vector=query).values_list("pk", flat=True)
    return index.mask_of(list(ids))


def title_mask(index, query) -> int:
    """The published entries whose title or aliases (weight A) match ``query``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM catalogue_resource WHERE"
            " (to_tsvector('english', translate(title, '/', ' '))"
            " || to_tsvector('english', translate(aliases, '/', ' '))) @@ %s::tsquery",
            [word_index.tsquery_text(query, Resource)],
        )
        return index.mask_of([row[0] for row in cursor.fetchall()])


@postgres_only
def test_common_words_give_the_matches_sql_gives(catalogue, words_everywhere):
    index = facet_index.current()
    assert index.words, "every word in two entries is common here"
    answered = 0
    for q in QUERIES:
        query = build_query(q)
        if query is None:
            continue
        found = word_index.text_masks(index, query, Resource)
        if found is None:
            continue
        answered += 1
        matches, titled = found
        assert matches == sql_mask(index, q), q
        assert titled == title_mask(index, query), q
    assert answered >= 6  # the plain queries of common words


@postgres_only
def test_a_prefix_takes_the_rare_words_that_extend_it(catalogue, settings):
    settings.ASRHUB_SEARCH_COMMON_WORDS = 5  # "speechbrain" (6 entries) common; add a rare one
    ResourceFactory(title="Speechless wonder", summary="Nothing else.")
    cache.clear()
    facet_index._latest = None
    index = facet_index.current()
    assert "speechless" in index.words.extensions["speech"]
    found = word_index.text_masks(index, build_query("speech"), Resource)
    assert found is not None and found[0] == sql_mask(index, "speech")
    facet_index._latest = None


@postgres_only
def test_rare_and_uncommon_words_are_left_to_sql(catalogue, settings):
    settings.ASRHUB_SEARCH_COMMON_WORDS = 1000
    cache.clear()
    facet_index._latest = None
    index = facet_index.current()
    assert not index.words
    text = Resource.objects.published().search("speech")
    assert text.matched_masks(index) == (sql_mask(index, "speech"), None)
    facet_index._latest = None


@postgres_only
def test_an_edit_patches_the_word_bits_as_a_rebuild_gives(catalogue, words_everywhere, monkeypatch):
    before = facet_index.current()

    def no_build(version):
        raise AssertionError("an edit of known resources is patched, not rebuilt")

    monkeypatch.setattr(facet_index, "build_once", no_build)
    first = Resource.objects.published().order_by("pk").first()
    first.title = "Zeta speech"
    first.save()
    second = Resource.objects.published().order_by("pk")[1]
    second.title = "Zeta recognition"
    second.save()
    hidden = Resource.objects.published().order_by("-pk").first()
    hidden.is_published = False
    hidden.save()
    index = facet_index.current()
    assert index.version != before.version and index.words is not before.words
    for lexeme, bits in index.words.words.items():
        assert bits == lexeme_mask(index, lexeme), lexeme
        assert index.words.titles[lexeme] == lexeme_mask(index, lexeme, ":A"), lexeme
    assert index.has(index.words.words["speech"], first.pk)
    assert not index.has(index.words.words["speech"], hidden.pk)
    # "zeta" became common: a rebuild knows it; until then SQL answers it.
    assert "zeta" not in index.words.words
    assert word_index.text_masks(index, build_query("zeta"), Resource) is None
    rebuilt = facet_index.build(catalogue_version())
    assert rebuilt.words.words["zeta"] == lexeme_mask(index, "zeta")


def lexeme_mask(index, lexeme: str, weight: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM catalogue_resource WHERE search_vector @@ %s::tsquery",
            [f"'{lexeme}'{weight}"],
        )
        return index.mask_of([row[0] for row in cursor.fetchall()])


def test_highest_bits_come_highest_first():
    assert word_index.highest_bits(0, 5) == []
    assert word_index.highest_bits(0b1011_0010, 10) == [7, 5, 4, 1]
    assert word_index.highest_bits(0b1011_0010, 2) == [7, 5]
    assert word_index.highest_bits(1 << 5000 | 1, 3) == [5000, 0]


def test_the_preorder_puts_titles_then_others_then_sunk_entries_first():
    found = 0b1111_1111
    titled = 0b0000_1111
    active = 0b0101_0101
    sunk = 0b1000_0001
    order = word_index.preorder(found, titled, active, sunk, 8)
    # Titled, not sunk: active (2, 0 sunk -> no), then others; untitled likewise; sunk last.
    assert order == [2, 3, 1, 6, 4, 5, 0, 7]
    assert word_index.preorder(found, titled, active, sunk, 3) == [2, 3, 1]


def ranked(q: str, among: list[int] | None = None, **filters) -> list[int]:
    text = Resource.objects.published().search(q).queryset.filter(**filters)
    if among is not None:
        text = text.filter(pk__in=among)
    return list(results.window(text, "relevance", {})[: results.PAGE_SIZE])


@postgres_only
@pytest.mark.parametrize("q", ["speech", "speech recognition", "alpha"])
def test_below_the_bound_the_ranking_is_that_of_every_match(catalogue, words_everywhere, q):
    assert search_page(f"/resources/?q={q}")[0] == ranked(q)
    assert search_page(f"/resources/?q={q}&status=active")[0] == ranked(q, status="active")


@postgres_only
def test_above_the_bound_only_the_preordered_matches_are_ranked(
    catalogue, words_everywhere, settings
):
    settings.ASRHUB_SEARCH_RANK_BOUND = 21  # page 1 (20 results) is within it, page 2 not
    index = facet_index.current()
    matches, titled = word_index.text_masks(index, build_query("speech"), Resource)
    assert matches.bit_count() > 21
    status = index.choices["status"]
    bits = word_index.preorder(
        matches,
        titled,
        status["active"],
        status.get("archived", 0),
        settings.ASRHUB_SEARCH_RANK_BOUND,
    )
    chosen = [index.pk_of(bit) for bit in bits]
    shown, _count = search_page("/resources/?q=speech")
    assert shown == ranked("speech", among=chosen)
    # A page past the bound is ranked over every match.
    assert search_page("/resources/?q=speech&page=2")[0] == list(
        results.window(Resource.objects.published().search("speech").queryset, "relevance", {})[
            results.PAGE_SIZE : 2 * results.PAGE_SIZE
        ]
    )


@postgres_only
@pytest.mark.parametrize(
    "query",
    [
        "sort=title",
        "sort=newest&page=2",
        "status=active&sort=curated",
        "q=speech&sort=followed",
        "q=speech+recognition&sort=updated",
        "q=alpha&sort=title&status=active",
    ],
)
@pytest.mark.parametrize("bound", [3, 1000])
def test_many_results_in_a_plain_order_give_the_page_sql_gives(
    catalogue, words_everywhere, settings, monkeypatch, query, bound
):
    """Over the bound the page is walked along the order's index and kept by the bit set
    (results.OrderWalk); under it the results' ids go to SQL as one array."""
    settings.ASRHUB_SEARCH_RANK_BOUND = bound
    walked = []
    real = results.OrderWalk.page
    monkeypatch.setattr(
        results.OrderWalk, "page", lambda self, *a: walked.append(a) or real(self, *a)
    )
    url = f"/resources/?{query}"
    assert search_page(url) == sql_page(url)
    cache.clear()
    assert search_page(url) == sql_page(url)
    assert bool(walked) == (bound == 3)
