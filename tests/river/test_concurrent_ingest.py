"""Two fetches storing the same posts at once store each post once (issue 14, "one post,
one row"): the dedup keys are unique in the database and ingestion joins the winner."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from river import ingest
from river.models import Post, PostSource
from tests.factories import PostFactory, ResourceFactory
from tests.support.threads import in_threads

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def entries() -> list[dict]:
    """Papers (arXiv ids), blog posts (links) and episodes (URN guids, no link)."""
    made = []
    for n in range(15):
        made.append(
            {
                "guid": f"oai:arXiv.org:2611.{n:05d}v1",
                "link": f"https://arxiv.org/abs/2611.{n:05d}v1",
            }
        )
        made.append({"guid": f"post-{n}", "link": f"https://lab.example/news/{n}?utm_source=rss"})
        made.append({"guid": f"urn:uuid:episode-{n:04d}", "link": ""})
    for n, entry in enumerate(made):
        entry.update(
            title=f"Post {n}", summary="About speech.", published_at=NOW - dt.timedelta(minutes=n)
        )
    return made


@pytest.mark.django_db
def test_the_keys_are_unique_in_the_database():
    PostFactory(guid="oai:arXiv.org:2611.00001v1", arxiv_id="2611.00001", canonical_link="")
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(arxiv_id="2611.00001")
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(guid="oai:arXiv.org:2611.00001v1", canonical_link="")
    PostFactory(canonical_link="lab.example/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(canonical_link="lab.example/a")
    # Empty keys, a feed's own counters and our content hashes identify nothing.
    for guid in ["1", "1", "sha256:" + "a" * 20, "sha256:" + "a" * 20]:
        PostFactory(guid=guid, link="", canonical_link="", arxiv_id="")
    assert Post.objects.filter(guid="1").count() == 2


@pytest.mark.django_db
def test_a_conflicting_insert_joins_the_stored_post():
    stored = PostFactory(arxiv_id="2611.00042", canonical_link="")
    fields = ingest.post_fields(
        ResourceFactory(kind="arxiv"),
        {
            **entries()[0],
            "guid": "oai:arXiv.org:2611.00042v2",
            "link": "https://arxiv.org/abs/2611.00042v2",
        },
    )
    assert ingest.create_or_join(fields) == (stored.pk, False)
    assert Post.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.parametrize("same_feed", [True, False], ids=["one feed twice", "two feeds"])
def test_two_fetches_at_once_store_each_post_once(monkeypatch, same_feed):
    first = ResourceFactory(slug="feed-a", feed_url="https://a.example/f")
    second = first if same_feed else ResourceFactory(slug="feed-b", feed_url="https://b.example/f")
    # Both fetches look up the known posts, then wait for each other before inserting:
    # without the constraints each would insert every post.
    both_looked = threading.Barrier(2, timeout=20)
    matcher = ingest.TopicMatcher.from_catalogue

    def looked_then_wait():
        both_looked.wait()
        return matcher()

    monkeypatch.setattr(ingest.TopicMatcher, "from_catalogue", staticmethod(looked_then_wait))
    created, errors = [], []
    resources = [first, second]

    def fetch(n: int) -> None:
        try:
            with transaction.atomic():
                created.append(ingest.ingest(resources[n], entries()))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    in_threads(fetch, 2)
    assert not errors
    assert Post.objects.count() == 45
    assert sum(created) == 45  # each post counted new by one fetch only
    links = PostSource.objects.values_list("post_id", "resource_id")
    assert len(links) == (45 if same_feed else 90)
    assert len(set(links)) == len(links)
