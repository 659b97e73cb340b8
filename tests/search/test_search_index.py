# ruff: noqa: S608 - the table names are constants of catalogue.search_sqlite
"""The search index stays in step with the catalogue on both databases: the migration
builds it, ``load_catalogue`` refreshes it, and so do the curators' edits in the admin
(PostgreSQL: the stored vectors; SQLite: the FTS5 index of catalogue.search_sqlite)."""

import importlib
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from catalogue import search_sqlite
from catalogue.models import Resource
from catalogue.search import refresh_search_vectors
from tests.factories import OrganisationFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module(
    "catalogue.migrations.0001_squashed_0007_resource_popularity_counts"
)
PG_INDEXES = {"resource_search_vector_gin", "resource_title_trgm"}


def slugs(client, q: str) -> list[str]:
    response = client.get("/resources/", {"q": q})
    assert response.status_code == 200
    return [resource.slug for resource in response.context["page_obj"].object_list]


def fts_tables() -> set[str]:
    names = {search_sqlite.DOCS, search_sqlite.INDEX}
    return names & set(connection.introspection.table_names())


def pg_indexes() -> set[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, "catalogue_resource")
    return PG_INDEXES & set(names)


def test_the_migration_builds_the_search_schema_of_each_database(client):
    """SQLite: the FTS5 index; PostgreSQL: the GIN and trigram indexes, no FTS5 tables."""
    # The migration's functions need only these two of a schema editor (SQLite's own
    # refuses to open inside the test's transaction).
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    MIGRATION.drop_search_schema(None, editor)
    assert fts_tables() == set()
    assert pg_indexes() == set()
    MIGRATION.create_search_schema(None, editor)
    if connection.vendor == "sqlite":
        assert fts_tables() == {search_sqlite.DOCS, search_sqlite.INDEX}
        assert pg_indexes() == set()
    else:
        assert fts_tables() == set()
        assert pg_indexes() == PG_INDEXES
    # Rows written after it are found (PostgreSQL will not build an index while rows
    # written in the same transaction have pending foreign-key checks, hence after).
    ResourceFactory(slug="zephyr", title="Zephyr decoder", aliases="Zeph")
    assert slugs(client, "zephyr") == ["zephyr"]
    assert slugs(client, "zeph") == ["zephyr"]


def test_load_catalogue_refreshes_the_index(client):
    call_command("load_catalogue", verbosity=0)
    kaldi = Resource.objects.get(slug="kaldi")
    Resource.objects.filter(pk=kaldi.pk).update(aliases="Quokka")
    refresh_search_vectors([kaldi.pk])
    assert slugs(client, "quokka") == ["kaldi"]
    # loaddata saves raw rows (no signals): only the command's refresh drops "Quokka".
    call_command("load_catalogue", verbosity=0)
    assert Resource.objects.get(pk=kaldi.pk).aliases == "Kaldi"
    assert slugs(client, "quokka") == []
    assert slugs(client, "kaldi")[0] == "kaldi"


def test_load_catalogue_indexes_what_it_loads(client):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search_sqlite.DOCS}")
    call_command("load_catalogue", verbosity=0)
    assert slugs(client, "speechbrain")[0] == "speechbrain"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {search_sqlite.DOCS}")
            assert cursor.fetchone()[0] == Resource.objects.count()
            # FTS5's own consistency check: raises if index and content disagree.
            cursor.execute(
                f"INSERT INTO {search_sqlite.INDEX}({search_sqlite.INDEX}, rank) "
                "VALUES ('integrity-check', 1)"
            )


def change_form_data(curator_client, resource: Resource, **changes) -> dict:
    url = reverse("admin:catalogue_resource_change", args=[resource.pk])
    context = curator_client.get(url).context
    form = context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data["topics"] = [topic.pk for topic in resource.topics.all()]
    data["categories"] = [category.pk for category in resource.categories.all()]
    data.pop("sources", None)
    for inline in context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return data


def test_admin_edits_keep_the_index_current(client, curator_client):
    nvidia = OrganisationFactory(slug="nvidia", title="NVIDIA")
    resource = ResourceFactory(
        slug="nemo", title="NeMo", summary="A toolkit.", description="", organisation=nvidia
    )
    url = reverse("admin:catalogue_resource_change", args=[resource.pk])
    streaming = TopicFactory(slug="streaming", name="Streaming")
    data = change_form_data(
        curator_client,
        resource,
        title="Nemotron",
        aliases="Nemotron ASR, Parakeet",
        topics=[streaming.pk],
        sources="[]",
    )
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert slugs(client, "parakeet") == ["nemo"]
    assert slugs(client, "nemotron") == ["nemo"]
    assert slugs(client, "streaming") == ["nemo"]
    assert "nemo" not in slugs(client, "nemo toolkit")  # the old title is gone


def test_renaming_an_organisation_in_the_admin_reindexes_its_channels(client, curator_client):
    organisation = OrganisationFactory(slug="acme", title="Acme Labs")
    ResourceFactory(slug="acme-blog", title="Engineering blog", organisation=organisation)
    url = reverse("admin:catalogue_resource_change", args=[organisation.pk])
    data = change_form_data(curator_client, organisation, title="Globex Research", sources="[]")
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(slugs(client, "globex")) == ["acme", "acme-blog"]
    assert slugs(client, "acme labs") == []


def test_deleting_a_resource_removes_it_from_the_index(client):
    resource = ResourceFactory(slug="ephemeral", title="Ephemeral notes")
    assert slugs(client, "ephemeral") == ["ephemeral"]
    resource.delete()
    assert slugs(client, "ephemeral") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {search_sqlite.DOCS}")
            assert cursor.fetchone()[0] == 0
