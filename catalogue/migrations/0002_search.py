"""PostgreSQL search: pg_trgm, a GIN index on the stored vector, a trigram index on
titles, and vectors for the rows that already exist. Nothing to do on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS resource_search_vector_gin "
    "ON catalogue_resource USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS resource_title_trgm "
    "ON catalogue_resource USING gin (title gin_trgm_ops)",
]
# The vectors as they were built at this point of history (no aliases yet).
REFRESH_SQL = """
UPDATE catalogue_resource AS r SET search_vector =
    setweight(to_tsvector('english', coalesce(r.title, '')), 'A')
 || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(t.name, ' ')
          FROM catalogue_resource_topics rt JOIN catalogue_topic t ON t.id = rt.topic_id
         WHERE rt.resource_id = r.id), '')), 'B')
 || setweight(to_tsvector('english', coalesce((
        SELECT o.title FROM catalogue_resource o WHERE o.id = r.organisation_id), '')), 'B')
 || setweight(to_tsvector('english', coalesce(r.summary, '')), 'B')
 || setweight(to_tsvector('english', coalesce(r.description, '')), 'C')
"""
DROP = [
    "DROP INDEX IF EXISTS resource_search_vector_gin",
    "DROP INDEX IF EXISTS resource_title_trgm",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in INDEXES:
        schema_editor.execute(statement)
    schema_editor.execute(REFRESH_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
