"""PostgreSQL: a GIN index on the posts' stored search vector. Nothing to do on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS river_post_search_vector_gin "
            "ON river_post USING gin (search_vector)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS river_post_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("river", "0001_posts_sources_reader_rules")]

    operations = [migrations.RunPython(forwards, backwards)]
