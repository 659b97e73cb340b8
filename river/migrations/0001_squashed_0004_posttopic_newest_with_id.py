"""The river as 0001-0004 left it, in one migration.

Besides the tables: on PostgreSQL a GIN index on the posts' stored search vector. What
0003 did to rows that already existed (posts stored twice merged before the dedup keys
became unique) is left out: a new database has no rows, and an existing one has run it.
"""

import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS river_post_search_vector_gin "
            "ON river_post USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS river_post_search_vector_gin")


class Migration(migrations.Migration):
    replaces = [
        ("river", "0001_posts_sources_reader_rules"),
        ("river", "0002_post_search_index"),
        ("river", "0003_post_unique_dedup_keys"),
        ("river", "0004_posttopic_newest_with_id"),
    ]

    initial = True

    dependencies = [
        ("catalogue", "0001_squashed_0007_resource_popularity_counts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Reader",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("read_through", models.BigIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reader",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Rule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("keep", "Keep only posts mentioning"),
                            ("block", "Hide posts mentioning"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "phrases",
                    models.CharField(
                        help_text="Comma-separated words or phrases, matched in title and summary.",
                        max_length=500,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "resource",
                    models.ForeignKey(
                        blank=True,
                        help_text="Only posts from this source; empty: everywhere.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalogue.resource",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="river_rules",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Post",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("guid", models.CharField(db_index=True, max_length=500)),
                ("link", models.URLField(blank=True, max_length=1000)),
                ("canonical_link", models.CharField(blank=True, db_index=True, max_length=1000)),
                (
                    "arxiv_id",
                    models.CharField(
                        blank=True, db_index=True, max_length=40, verbose_name="arXiv id"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("paper", "Paper"),
                            ("release", "Release"),
                            ("blog", "Blog post"),
                            ("video", "Video"),
                            ("episode", "Episode"),
                            ("discussion", "Discussion"),
                        ],
                        default="blog",
                        max_length=20,
                    ),
                ),
                ("title", models.CharField(max_length=500)),
                ("summary", models.TextField(blank=True, help_text="Sanitised HTML (nh3).")),
                ("authors", models.CharField(blank=True, max_length=1000)),
                (
                    "version",
                    models.CharField(blank=True, help_text="Releases only.", max_length=100),
                ),
                ("published_at", models.DateTimeField()),
                ("first_seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "search_vector",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
            ],
            options={
                "ordering": ["-published_at", "-id"],
                "indexes": [
                    models.Index(fields=["-published_at", "-id"], name="post_newest"),
                    models.Index(fields=["kind", "-published_at"], name="post_kind_newest"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("arxiv_id", ""), _negated=True),
                        fields=("arxiv_id",),
                        name="post_unique_arxiv_id",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("canonical_link", ""), _negated=True),
                        fields=("canonical_link",),
                        name="post_unique_canonical_link",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(
                            django.db.models.lookups.GreaterThanOrEqual(
                                django.db.models.functions.text.Length("guid"), 12
                            ),
                            models.Q(
                                ("guid__contains", ":"), ("guid__contains", "/"), _connector="OR"
                            ),
                            models.Q(("guid__startswith", "sha256:"), _negated=True),
                        ),
                        fields=("guid",),
                        name="post_unique_global_guid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PostSource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("guid", models.CharField(max_length=500)),
                (
                    "published_at",
                    models.DateTimeField(help_text="The post's, copied for per-source order."),
                ),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="post_sources",
                        to="river.post",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="post_sources",
                        to="catalogue.resource",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["resource", "-published_at"], name="postsource_newest"),
                    models.Index(fields=["resource", "post"], name="postsource_resource_post"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("resource", "guid"), name="postsource_unique_guid"
                    ),
                    models.UniqueConstraint(
                        fields=("post", "resource"), name="postsource_unique_post"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PostState",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "is_read",
                    models.BooleanField(help_text="None: the watermark decides.", null=True),
                ),
                ("is_starred", models.BooleanField(default=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="states",
                        to="river.post",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="post_states",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["user", "is_starred"], name="poststate_starred"),
                    models.Index(fields=["user", "is_read"], name="poststate_read"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "post"), name="poststate_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="PostTopic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(help_text="The post's, copied for per-topic order."),
                ),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="post_topics",
                        to="river.post",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="post_topics",
                        to="catalogue.topic",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["topic", "-published_at", "-post"], name="posttopic_newest_id"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("post", "topic"), name="posttopic_unique")
                ],
            },
        ),
        migrations.AddField(
            model_name="post",
            name="sources",
            field=models.ManyToManyField(
                related_name="posts", through="river.PostSource", to="catalogue.resource"
            ),
        ),
        migrations.AddField(
            model_name="post",
            name="topics",
            field=models.ManyToManyField(
                related_name="posts", through="river.PostTopic", to="catalogue.topic"
            ),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
