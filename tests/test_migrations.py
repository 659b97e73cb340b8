"""Each app's migrations are squashed into one; a database migrated with the old chain
(to its last migration) counts them as applied and ``migrate`` has nothing to do."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db

# The migrations the squashed ones replace, as django_migrations names them in every
# database migrated before the squash. Their files are gone; these names must not change.
OLD_CHAINS = {
    ("catalogue", "0001_squashed_0007_resource_popularity_counts"): [
        "0001_initial",
        "0002_search",
        "0003_title_lower_index",
        "0004_protect_moved_to",
        "0005_sources_aliases_models_datasets",
        "0006_search_aliases_sqlite_fts",
        "0007_resource_popularity_counts",
    ],
    ("accounts", "0001_squashed_0004_fill_resource_popularity"): [
        "0001_initial",
        "0002_external_link_proxy",
        "0003_bookmark_tags",
        "0004_fill_resource_popularity",
    ],
    ("digests", "0001_squashed_0002_digest_post_ids"): [
        "0001_mail_settings_and_send_logs",
        "0002_digest_post_ids",
    ],
    ("river", "0001_squashed_0004_posttopic_newest_with_id"): [
        "0001_posts_sources_reader_rules",
        "0002_post_search_index",
        "0003_post_unique_dedup_keys",
        "0004_posttopic_newest_with_id",
    ],
}
SQUASHED = list(OLD_CHAINS)


def as_before_the_squash(missing: tuple[str, str] | None = None) -> None:
    """Leave django_migrations as the old code left it: the old names (all of them, or
    all but ``missing``) and none of the squashed ones nor of what they replace."""
    recorded = MigrationRecorder.Migration.objects
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for key in SQUASHED:
        for app, name in [key, *on_disk[key].replaces]:
            recorded.filter(app=app, name=name).delete()
    for (app, _), names in OLD_CHAINS.items():
        recorded.bulk_create(recorded.model(app=app, name=name) for name in names)
    if missing:
        recorded.filter(app=missing[0], name=missing[1]).delete()


def test_each_squashed_migration_replaces_exactly_the_old_chain():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), names in OLD_CHAINS.items():
        assert loader.disk_migrations[app, name].replaces == [(app, old) for old in names]


def test_a_database_at_the_end_of_the_old_chains_has_the_squashed_ones_applied():
    as_before_the_squash()
    loader = MigrationLoader(connection)
    assert set(SQUASHED) <= set(loader.applied_migrations)
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_migrate_on_such_a_database_only_records_the_squashed_ones():
    as_before_the_squash()
    out = io.StringIO()
    call_command("migrate", interactive=False, stdout=out)
    assert "No migrations to apply." in out.getvalue()
    recorded = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
    assert set(SQUASHED) <= recorded


def test_a_database_stopped_inside_an_old_chain_is_not_taken_for_squashed():
    """Not supported: Django then leaves the app out of the graph and ``migrate`` does
    nothing for it (docs/deploy.md: migrate with the previous release first)."""
    as_before_the_squash(missing=("river", "0004_posttopic_newest_with_id"))
    loader = MigrationLoader(connection)
    assert ("river", "0001_squashed_0004_posttopic_newest_with_id") not in (
        loader.applied_migrations
    )
