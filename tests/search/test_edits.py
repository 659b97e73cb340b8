"""Edits without a stampede: the facet index is patched, or built once behind a lock, and
no visitor sees a deleted, unpublished or old entry after the edit."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue import facet_index, versioning
from catalogue.facet_index import FacetIndex
from catalogue.models import Category, Resource, Topic
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def members(index: FacetIndex, masks: dict) -> dict:
    """Each non-empty bit set as the primary keys of its resources."""
    return {key: set(index.pks_of(mask)) for key, mask in masks.items() if mask}


def assert_same_bits(index: FacetIndex, built: FacetIndex) -> None:
    """The same resources under every facet value (sizes and numbering may differ: bits
    are pks while they are dense, ranks when they are not, and a patch keeps ranks)."""
    assert members(index, {0: index.published}) == members(built, {0: built.published})
    assert {name: members(index, masks) for name, masks in index.choices.items()} == {
        name: members(built, masks) for name, masks in built.choices.items()
    }
    assert members(index, index.categories) == members(built, built.categories)
    assert members(index, index.topics) == members(built, built.topics)
    assert index.topic_rows == built.topic_rows


@pytest.fixture(autouse=True)
def dense_keys(db):
    """New resources numbered from 1, as in a fresh database, so the index numbers its
    bits by primary key (dense) whatever earlier tests took from the PostgreSQL sequence
    (a rolled-back insert keeps its number there). Sparse numbering, where a created
    resource needs a rebuild, is tested in test_facet_index.py."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('catalogue_resource', 'id'), 1, false)"
            )


@pytest.fixture
def counted_builds(monkeypatch):
    calls = []
    real = facet_index.build

    def build(version):
        calls.append(version)
        return real(version)

    monkeypatch.setattr(facet_index, "build", build)
    return calls


def fresh_index() -> FacetIndex:
    facet_index._latest = None
    cache.clear()
    return facet_index.current()


# --- In-place updates agree with a full rebuild -------------------------------------------

EDITS = st.lists(
    st.tuples(
        st.sampled_from(
            ["kind", "level", "status", "unpublish", "publish", "category", "topic", "uncategorise",
             "delete", "create", "person"]
        ),
        st.integers(min_value=0, max_value=1000),
    ),
    min_size=1,
    max_size=6,
)  # fmt: skip


def apply(edit: str, n: int) -> None:
    resources = list(Resource.objects.order_by("pk"))
    resource = resources[n % len(resources)]
    categories = list(Category.objects.order_by("pk"))
    topics = list(Topic.objects.order_by("pk"))
    if edit == "kind":
        resource.kind = ["blog", "podcast", "repository", "discord"][n % 4]
        resource.save()
    elif edit == "level":
        resource.level = ["beginner", "intermediate", "all", ""][n % 4]
        resource.save()
    elif edit == "status":
        resource.status = ["active", "archived"][n % 2]
        resource.save()
    elif edit in {"unpublish", "publish"}:
        resource.is_published = edit == "publish"
        resource.save()
    elif edit == "category":
        resource.categories.add(categories[n % len(categories)])
    elif edit == "uncategorise":
        resource.categories.clear()
    elif edit == "topic":
        if n % 2:
            resource.topics.add(topics[n % len(topics)])
        else:  # from the other side: the signal names the resources in pk_set
            topics[n % len(topics)].resources.add(resource)
    elif edit == "delete":
        resource.delete()
    elif edit == "create":
        ResourceFactory(
            kind="podcast", categories=[categories[n % len(categories)]], topics=topics[:1]
        )
    else:
        from tests.factories import PersonFactory

        PersonFactory()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
def test_patched_index_equals_a_rebuild_after_any_edits(catalogue, counted_builds, edits):
    # Every example starts from the fixture's catalogue: the database fixture is set up
    # once per test, so each example's edits (deletes among them) are rolled back.
    with transaction.atomic():
        fresh_index()
        counted_builds.clear()
        checked = []
        for edit, n in edits:
            apply(edit, n)
            with CaptureQueriesContext(connection) as queries:
                index = facet_index.current()
            assert len(queries) <= 3  # the changed rows, their links (and the taxonomy)
            assert index.version == versioning.catalogue_version()
            assert_same_bits(index, facet_index.build(index.version))
            checked.append(index.version)
        assert counted_builds == checked  # only the test's own builds: every edit was patched
        transaction.set_rollback(True)


def test_an_edit_of_one_resource_patches_without_a_build(catalogue, counted_builds):
    before = fresh_index()
    assert counted_builds == [before.version]
    pod = Resource.objects.get(slug="speech-podcast")
    pod.kind = Resource.Kind.BLOG
    pod.save()
    with CaptureQueriesContext(connection) as queries:
        after = facet_index.current()
    assert len(queries) == 2
    assert counted_builds == [before.version]  # no second build
    assert after.version != before.version
    assert after.mask_of([pod.pk]) & after.choices["kind"]["blog"]
    assert not after.mask_of([pod.pk]) & after.choices["kind"].get("podcast", 0)
    # Another process (nothing of its own) takes the patched index from the cache.
    facet_index._latest = None
    with CaptureQueriesContext(connection) as shared:
        assert facet_index.current().published == after.published
    assert len(shared) == 0
    assert counted_builds == [before.version]


def test_people_and_events_keep_the_bits_and_topics_rebuild(catalogue, counted_builds):
    from tests.factories import PersonFactory, TopicFactory

    before = fresh_index()
    PersonFactory()
    with CaptureQueriesContext(connection) as queries:
        after = facet_index.current()
    assert len(queries) == 0 and after.version != before.version
    assert after.published == before.published
    TopicFactory(slug="streaming", name="Streaming")
    rebuilt = facet_index.current()
    assert len(counted_builds) == 2
    assert "streaming" in {slug for _pk, slug, _name in rebuilt.topic_rows}


def test_a_change_not_recorded_rebuilds(catalogue, counted_builds):
    before = fresh_index()
    Resource.objects.filter(slug="speech-podcast").update(is_published=False)
    versioning.catalogue_changed()  # as the admin's bulk actions do
    after = facet_index.current()
    assert len(counted_builds) == 2
    pod = Resource.objects.get(slug="speech-podcast")
    assert before.mask_of([pod.pk]) and not after.mask_of([pod.pk])


def test_changes_between_needs_every_record():
    cache.set(versioning.VERSION_KEY, 100, None)
    versioning.catalogue_changed(resources=[3, 1])
    versioning.catalogue_changed(resources=())
    versioning.catalogue_changed(resources=[5])
    assert versioning.catalogue_version() == 103
    assert versioning.changes_between(100, 103) == {1, 3, 5}
    assert versioning.changes_between(101, 102) == set()
    assert versioning.changes_between(103, 103) is None  # not a change
    assert versioning.changes_between(103, 100) is None
    versioning.catalogue_changed()  # unknown
    assert versioning.changes_between(100, 104) is None
    assert versioning.changes_between(100, 100 + versioning.MAX_PATCHED_VERSIONS + 1) is None
    cache.delete(f"{versioning.CHANGE_KEY}:102")
    assert versioning.changes_between(100, 103) is None


# --- One build for many concurrent requests -----------------------------------------------


def fake_index(version: int) -> FacetIndex:
    return FacetIndex(
        version=version, size=0, published=0, choices={}, categories={}, topics={}, topic_rows=[]
    )


def test_many_concurrent_requests_build_the_index_once(monkeypatch):
    builds = []
    started = threading.Event()

    def slow_build(version):
        builds.append(version)
        started.set()
        time.sleep(0.3)
        return fake_index(version)

    monkeypatch.setattr(facet_index, "build", slow_build)
    results = []

    def request():
        results.append(facet_index.build_once(42))

    threads = [threading.Thread(target=request) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert builds == [42]
    assert len(results) == 16 and {index.version for index in results} == {42}
    assert cache.get("catalogue:facet-index:42:lock") is None  # the lock is released


def test_a_waiter_builds_when_the_builder_gave_up(monkeypatch):
    builds = []
    monkeypatch.setattr(facet_index, "build", lambda v: builds.append(v) or fake_index(v))
    lock = "catalogue:facet-index:7:lock"
    cache.add(lock, 1, 60)  # another process is building

    def builder_fails():
        time.sleep(0.1)
        cache.delete(lock)  # it died without sharing an index

    thread = threading.Thread(target=builder_fails)
    thread.start()
    start = time.monotonic()
    index = facet_index.build_once(7)
    thread.join()
    assert index.version == 7 and builds == [7]
    assert time.monotonic() - start < 2


def test_a_waiter_takes_the_index_the_builder_shared(monkeypatch):
    builds = []
    monkeypatch.setattr(facet_index, "build", lambda v: builds.append(v) or fake_index(v))
    lock = "catalogue:facet-index:8:lock"
    cache.add(lock, 1, 60)

    def builder_shares():
        time.sleep(0.1)
        cache.set("catalogue:facet-index:8", fake_index(8), 60)
        cache.delete(lock)

    thread = threading.Thread(target=builder_shares)
    thread.start()
    assert facet_index.build_once(8).version == 8
    thread.join()
    assert builds == []


# --- No stale, deleted or unpublished entry after the edit's response ----------------------


def test_after_an_edit_visitors_see_the_new_state_at_once(catalogue, counted_builds):
    visitor = Client()
    url = "/resources/?q=speech&kind=podcast"
    html = visitor.get(url).content.decode()
    assert "Speech Podcast" in html
    builds = len(counted_builds)
    pod = Resource.objects.get(slug="speech-podcast")
    pod.title = "Speech Podcast renamed"
    pod.save()
    html = Client().get(url).content.decode()
    assert "Speech Podcast renamed" in html
    pod.is_published = False
    pod.save()
    response = Client().get(url)
    assert response.status_code == 200
    assert "Speech Podcast" not in response.content.decode()
    assert "speech-podcast" not in response.content.decode()
    # Counted nowhere either: the kind facet without a selection lists no podcast.
    html = Client().get("/resources/?q=speech").content.decode()
    assert 'value="podcast"' not in html
    pod.is_published = True
    pod.save()
    assert "Speech Podcast renamed" in Client().get(url).content.decode()
    pod.delete()
    html = Client().get(url).content.decode()
    assert "Speech Podcast" not in html
    assert len(counted_builds) == builds  # all of it patched: no rebuild


# --- Visitors' results: rendered once for many concurrent requests -------------------------


def test_concurrent_requests_for_new_results_render_them_once():
    from catalogue.results_cache import cached_or_rendered

    renders = []

    def slow_render():
        renders.append(1)
        time.sleep(0.3)
        return "<p>results</p>"

    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(cached_or_rendered("k1", slow_render)))
        for _ in range(16)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert renders == [1]
    assert answers == ["<p>results</p>"] * 16
    assert cache.get("k1") == "<p>results</p>" and cache.get("k1:lock") is None


def test_a_waiting_request_renders_when_the_renderer_failed():
    from catalogue.results_cache import cached_or_rendered

    cache.add("k2:lock", 1, 60)

    def renderer_fails():
        time.sleep(0.1)
        cache.delete("k2:lock")

    thread = threading.Thread(target=renderer_fails)
    thread.start()
    assert cached_or_rendered("k2", lambda: "mine") == "mine"
    thread.join()
    assert cached_or_rendered(None, lambda: "uncached") == "uncached"
