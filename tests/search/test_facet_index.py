"""The bit-set facet counts agree with counting in SQL, whatever the selection."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import facet_index
from catalogue.filters import ResourceFilter
from catalogue.models import Category, Resource, Topic
from tests.factories import CategoryFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

VALUES = {
    "kind": ["blog", "podcast", "repository", "discord", "company", "nope"],
    "category": ["communities", "discord-servers", "reading", "talks", "unknown-slug"],
    "topic": ["whisper", "diarization", "streaming", "unknown-topic"],
    "level": ["beginner", "intermediate", "all"],
    "cost": ["free", "paid"],
    "medium": ["read", "listen", "code", "discuss"],
    "status": ["active", "archived", "moved"],
}


@pytest.fixture
def varied(catalogue):
    """The search catalogue plus a spread of resources over every facet."""
    talks = CategoryFactory(slug="talks", name="Talks", parent=Category.objects.get(slug="reading"))
    streaming = TopicFactory(slug="streaming", name="Streaming")
    topics = list(Topic.objects.all())
    categories = list(Category.objects.all()) + [talks]
    kinds = ["blog", "podcast", "repository", "discord", "company"]
    for n in range(24):
        ResourceFactory(
            title=f"Varied {n} speech",
            kind=kinds[n % 5],
            level=["beginner", "intermediate", "all", ""][n % 4],
            cost=["free", "paid"][n % 2],
            medium=["read", "listen", "code", "discuss"][n % 4],
            status=["active", "active", "archived"][n % 3],
            categories=[categories[n % len(categories)], categories[(n * 7) % len(categories)]],
            topics=[topics[n % len(topics)]] + ([streaming] if n % 3 == 0 else []),
            is_published=n % 11 != 0,
        )
    return catalogue


def oracle(filterset: ResourceFilter, facet: str, value: str) -> int:
    """The count of ``value`` as SQL computes it: the other facets, then this value."""
    base = filterset.queryset_without(facet)
    return filterset.filters[facet].filter(base, [value]).count()


selections = st.fixed_dictionaries(
    {name: st.lists(st.sampled_from(values), max_size=3) for name, values in VALUES.items()}
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(selection=selections, q=st.sampled_from(["", "speech", "whisper", "varied 1"]))
def test_counts_match_sql_for_any_selection(varied, selection, q):
    from catalogue import search

    data = QueryDict(mutable=True)
    for name, values in selection.items():
        data.setlist(name, values)
    published = Resource.objects.published()
    base = search.search(published, q).queryset if q else published
    filterset = ResourceFilter(data, base=base)
    for facet in filterset.facets():
        for option in facet["options"]:
            assert option["count"] == oracle(filterset, facet["name"], option["value"]), (
                facet["name"],
                option["value"],
                selection,
                q,
            )
        shown = {option["value"] for option in facet["options"]}
        # Values left out have no resources at all under the other facets' selection.
        for value in VALUES.get(facet["name"], []):
            if value not in shown and value in facet["known"]:
                assert oracle(filterset, facet["name"], value) == 0


def test_the_index_is_built_once_per_version_and_follows_changes(varied):
    cache.clear()
    facet_index._latest = None
    with CaptureQueriesContext(connection) as first:
        index = facet_index.current()
    assert 1 <= len(first) <= 4
    with CaptureQueriesContext(connection) as again:
        assert facet_index.current() is index
    assert len(again) == 0
    # Another process finds it in the shared cache, without a query.
    facet_index._latest = None
    with CaptureQueriesContext(connection) as shared:
        copy = facet_index.current()
    assert len(shared) == 0 and copy.version == index.version
    assert copy.published == index.published and copy.topics == index.topics

    podcasts = (index.choices["kind"]["podcast"] & index.published).bit_count()
    ResourceFactory(kind="podcast", title="A new podcast")
    fresh = facet_index.current()
    assert fresh.version != index.version
    assert (fresh.choices["kind"]["podcast"] & fresh.published).bit_count() == podcasts + 1


def test_unpublished_resources_have_no_bit(varied):
    index = facet_index.current()
    hidden = list(Resource.objects.filter(is_published=False).values_list("pk", flat=True))
    shown = list(Resource.objects.published().values_list("pk", flat=True))
    assert hidden and index.mask_of(hidden) == 0
    assert index.mask_of(shown) == index.published
    assert index.published.bit_count() == len(shown)
    every_link = 0
    for mask in [*index.categories.values(), *index.topics.values()]:
        every_link |= mask
    assert every_link & ~index.published == 0


@pytest.mark.parametrize("sparse", [False, True])
def test_dense_and_sparse_keys_count_alike(varied, monkeypatch, sparse):
    """Bits numbered by primary key, or by rank when the keys are sparse: same counts."""
    from django.http import QueryDict

    from catalogue.filters import ResourceFilter

    monkeypatch.setattr(facet_index, "dense", lambda pks: not sparse)
    cache.clear()
    facet_index._latest = None
    index = facet_index.current()
    assert (index.position is not None) is sparse
    data = QueryDict("kind=podcast&kind=blog&category=reading&topic=whisper")
    filterset = ResourceFilter(data)
    for facet in filterset.facets():
        for option in facet["options"]:
            assert option["count"] == oracle(filterset, facet["name"], option["value"])
