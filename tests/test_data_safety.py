"""Data safety: a dump of a populated database loads back into an empty one unchanged."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError

from catalogue.models import Category, Deadline, Resource
from tests import factories
from tests.support.db import APPS, snapshot


def populate() -> None:
    category = factories.CategoryFactory(parent=factories.CategoryFactory())
    topic = factories.TopicFactory()
    organisation = factories.OrganisationFactory()
    resource = factories.ResourceFactory(
        organisation=organisation, description="**Markdown** — with ünïcode ✓"
    )
    resource.categories.add(category)
    resource.topics.add(topic)
    factories.ResourceFactory(status="moved", moved_to=resource)
    person = factories.PersonFactory(affiliation=organisation)
    person.topics.add(topic)
    factories.ResourcePersonFactory(resource=resource, person=person)
    edition = factories.EditionFactory()
    factories.DeadlineFactory(
        edition=edition, due_at=Deadline.aoe_instant(dt.date(2026, 2, 25)), is_aoe=True
    )
    factories.FeedEntryFactory(resource=resource)
    pack = factories.StarterPackFactory()
    factories.PackItemFactory(pack=pack, resource=resource)
    factories.PackItemFactory(pack=pack, resource=None, person=person)
    factories.StarterPackFactory(copied_from=pack)
    factories.BookmarkFactory(resource=resource, note="private ✓")
    factories.FollowFactory(resource=resource)


def empty_the_database() -> None:
    """Delete every row, retrying models that protected rows still refer to."""
    Resource.objects.filter(status="moved").delete()
    remaining = [
        model
        for app in reversed(APPS)
        for model in apps.get_app_config(app).get_models()
        if model._meta.managed  # not the SQLite search index (its rows go with resources)
    ]
    for _ in range(len(remaining) + 1):
        blocked = []
        for model in remaining:
            try:
                model._base_manager.all().delete()
            except ProtectedError:
                blocked.append(model)
        if not blocked:
            return
        remaining = blocked
        # Two-level trees protect their parents: delete the leaves first.
        for model in remaining:
            if model is Category:
                Category.objects.filter(parent__isnull=False).delete()
    raise AssertionError(f"could not empty {remaining}")


@pytest.mark.django_db
def test_dumpdata_loads_back_into_an_empty_database_with_identical_rows(tmp_path):
    populate()
    before = snapshot()
    assert all(before[label] for label in ("catalogue.Resource", "accounts.PackItem"))

    # YAML keeps microseconds; Django's JSON encoder rounds times to milliseconds.
    dump = tmp_path / "dump.yaml"
    out = io.StringIO()
    call_command("dumpdata", *APPS, format="yaml", stdout=out)
    dump.write_text(out.getvalue())

    empty_the_database()
    assert not any(snapshot().values())

    call_command("loaddata", str(dump), verbosity=0)
    assert snapshot() == before


@pytest.mark.django_db
def test_every_migration_is_applied_from_empty():
    """The test database is built by running every migration forward from empty."""
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    assert executor.migration_plan(targets) == []
