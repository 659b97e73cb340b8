"""Search on both databases: aliases enter the PostgreSQL vectors (weight A), and on
SQLite an external-content FTS5 index of resources is created and filled (see
catalogue.search_sqlite). Each half does nothing on the other database."""

import django.db.models.deletion
from django.db import migrations, models

import catalogue.search_sqlite

# catalogue.search.REFRESH_SQL as of this migration (frozen: later changes must not
# break it).
REFRESH_SQL = """
UPDATE catalogue_resource AS r SET search_vector =
    setweight(to_tsvector('english', translate(coalesce(r.title, ''), '/', ' ')), 'A')
 || setweight(to_tsvector('english', translate(coalesce(r.aliases, ''), '/', ' ')), 'A')
 || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(t.name, ' ')
          FROM catalogue_resource_topics rt JOIN catalogue_topic t ON t.id = rt.topic_id
         WHERE rt.resource_id = r.id), '')), 'B')
 || setweight(to_tsvector('english', coalesce((
        SELECT o.title FROM catalogue_resource o WHERE o.id = r.organisation_id), '')), 'B')
 || setweight(to_tsvector('english', coalesce(r.summary, '')), 'B')
 || setweight(to_tsvector('english', coalesce(r.description, '')), 'C')
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFRESH_SQL)
    elif schema_editor.connection.vendor == "sqlite":
        from catalogue import search_sqlite

        with schema_editor.connection.cursor() as cursor:
            search_sqlite.create(cursor)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from catalogue import search_sqlite

        with schema_editor.connection.cursor() as cursor:
            search_sqlite.drop(cursor)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_sources_aliases_models_datasets")]

    operations = [
        migrations.RunPython(forwards, backwards),
        # Unmanaged: the FTS5 table above, for joins from the ORM (SQLite only).
        migrations.CreateModel(
            name="ResourceSearchEntry",
            fields=[
                (
                    "resource",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="catalogue.resource",
                    ),
                ),
                (
                    "document",
                    catalogue.search_sqlite.FTS5Document(db_column="catalogue_resource_fts"),
                ),
                ("rank", models.FloatField()),
            ],
            options={"db_table": "catalogue_resource_fts", "managed": False},
        ),
    ]
