"""The catalogue as 0001-0007 left it, in one migration.

Besides the tables: on PostgreSQL pg_trgm, a GIN index on the stored search vector and a
trigram index on titles; on SQLite the FTS5 index of catalogue.search_sqlite. What the
replaced migrations did to rows that already existed (the search vectors refreshed) is
left out: a new database has no rows, and an existing one has run them.
"""

import django.contrib.postgres.search
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import catalogue.search_sqlite

SEARCH_INDEXES = [
    "CREATE INDEX IF NOT EXISTS resource_search_vector_gin "
    "ON catalogue_resource USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS resource_title_trgm "
    "ON catalogue_resource USING gin (title gin_trgm_ops)",
]


def create_search_schema(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in SEARCH_INDEXES:
            schema_editor.execute(statement)
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            catalogue.search_sqlite.create(cursor)


def drop_search_schema(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS resource_search_vector_gin")
        schema_editor.execute("DROP INDEX IF EXISTS resource_title_trgm")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            catalogue.search_sqlite.drop(cursor)


class Migration(migrations.Migration):
    replaces = [
        ("catalogue", "0001_initial"),
        ("catalogue", "0002_search"),
        ("catalogue", "0003_title_lower_index"),
        ("catalogue", "0004_protect_moved_to"),
        ("catalogue", "0005_sources_aliases_models_datasets"),
        ("catalogue", "0006_search_aliases_sqlite_fts"),
        ("catalogue", "0007_resource_popularity_counts"),
    ]

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Topic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80)),
                ("slug", models.SlugField(max_length=80, unique=True)),
                ("description", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Category",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("description", models.TextField(blank=True)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for a top-level category. Only two levels are allowed.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="catalogue.category",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "categories",
                "ordering": ["position", "name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("parent", models.F("pk")), _negated=True),
                        name="category_not_own_parent",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Resource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("slug", models.SlugField(max_length=200, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("arxiv", "arXiv category"),
                            ("paper-tracker", "Paper tracker"),
                            ("blog", "Blog"),
                            ("newsletter", "Newsletter"),
                            ("podcast", "Podcast"),
                            ("youtube", "YouTube channel"),
                            ("subreddit", "Subreddit"),
                            ("discord", "Discord server"),
                            ("forum", "Forum"),
                            ("repository", "GitHub repository"),
                            ("awesome-list", "Awesome list"),
                            ("benchmark", "Benchmark or leaderboard"),
                            ("company", "Company or lab"),
                            ("organisation", "Professional organisation"),
                            ("meetup", "Meetup or local community"),
                            ("social", "Social media account"),
                            ("website", "Website or documentation"),
                            ("model", "Model"),
                            ("dataset", "Dataset"),
                        ],
                        max_length=20,
                    ),
                ),
                ("url", models.URLField(max_length=500, verbose_name="URL")),
                ("feed_url", models.URLField(blank=True, max_length=500, verbose_name="feed URL")),
                (
                    "summary",
                    models.CharField(help_text="One or two sentences, plain text.", max_length=300),
                ),
                (
                    "description",
                    models.TextField(blank=True, help_text="Markdown; sanitised when shown."),
                ),
                (
                    "level",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("beginner", "Beginner"),
                            ("intermediate", "Intermediate"),
                            ("advanced", "Advanced"),
                            ("all", "All levels"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "cost",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("free", "Free"),
                            ("freemium", "Freemium"),
                            ("paid", "Paid"),
                            ("membership", "Membership"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "cadence",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("realtime", "Continuous"),
                            ("daily", "Daily"),
                            ("weekly", "Weekly"),
                            ("monthly", "Monthly"),
                            ("quarterly", "Quarterly"),
                            ("annual", "Annual"),
                            ("occasional", "Occasional"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "medium",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("read", "Read"),
                            ("watch", "Watch"),
                            ("listen", "Listen"),
                            ("discuss", "Discuss"),
                            ("code", "Code"),
                            ("attend", "Attend"),
                        ],
                        max_length=20,
                    ),
                ),
                ("audience_size", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "audience_unit",
                    models.CharField(
                        blank=True,
                        help_text="What the size counts: members, stars, attendees…",
                        max_length=40,
                    ),
                ),
                ("audience_as_of", models.DateField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("active", "Active"),
                            ("archived", "Archived"),
                            ("moved", "Moved"),
                            ("retired", "Retired"),
                        ],
                        default="active",
                        max_length=20,
                    ),
                ),
                (
                    "moved_to_url",
                    models.URLField(blank=True, max_length=500, verbose_name="moved to URL"),
                ),
                (
                    "link_health",
                    models.CharField(
                        choices=[
                            ("unchecked", "Not checked yet"),
                            ("ok", "OK"),
                            ("unknown", "Unknown (blocked or timed out)"),
                            ("dead", "Dead"),
                        ],
                        default="unchecked",
                        max_length=20,
                    ),
                ),
                ("link_checked_at", models.DateTimeField(blank=True, null=True)),
                ("link_ok_at", models.DateTimeField(blank=True, null=True, verbose_name="last OK")),
                (
                    "link_status",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="HTTP status"
                    ),
                ),
                ("link_final_url", models.URLField(blank=True, max_length=1000)),
                (
                    "link_failures",
                    models.PositiveSmallIntegerField(
                        default=0, verbose_name="consecutive failures"
                    ),
                ),
                ("feed_etag", models.CharField(blank=True, max_length=500)),
                ("feed_last_modified", models.CharField(blank=True, max_length=100)),
                ("feed_checked_at", models.DateTimeField(blank=True, null=True)),
                ("feed_ok_at", models.DateTimeField(blank=True, null=True)),
                ("feed_next_fetch_at", models.DateTimeField(blank=True, null=True)),
                ("feed_error_count", models.PositiveSmallIntegerField(default=0)),
                ("feed_last_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("feed_last_error", models.TextField(blank=True)),
                ("needs_review", models.BooleanField(default=False)),
                ("curator_note", models.TextField(blank=True)),
                ("is_published", models.BooleanField(default=False, verbose_name="published")),
                ("is_featured", models.BooleanField(default=False, verbose_name="featured")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "search_vector",
                    django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
                ),
                (
                    "categories",
                    models.ManyToManyField(
                        blank=True, related_name="resources", to="catalogue.category"
                    ),
                ),
                (
                    "moved_to",
                    models.ForeignKey(
                        blank=True,
                        help_text="The catalogue entry it moved to, if there is one.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="moved_from",
                        to="catalogue.resource",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        help_text="The company or organisation behind this resource.",
                        limit_choices_to={"kind__in": ("company", "organisation")},
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="channels",
                        to="catalogue.resource",
                    ),
                ),
                (
                    "topics",
                    models.ManyToManyField(
                        blank=True, related_name="resources", to="catalogue.topic"
                    ),
                ),
                (
                    "aliases",
                    models.CharField(
                        blank=True,
                        help_text="Other names people type for it, separated by commas: Whisper, NeMo, wav2vec2.",
                        max_length=300,
                    ),
                ),
                (
                    "checked_on",
                    models.DateField(
                        blank=True,
                        help_text="When a curator last checked the facts.",
                        null=True,
                        verbose_name="checked on",
                    ),
                ),
                (
                    "languages",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("english", "English only"),
                            ("few", "A few languages"),
                            ("multilingual", "Multilingual (dozens or more)"),
                        ],
                        help_text="Models and datasets.",
                        max_length=20,
                    ),
                ),
                (
                    "licence",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("apache-2.0", "Apache 2.0"),
                            ("mit", "MIT"),
                            ("bsd-3-clause", "BSD 3-Clause"),
                            ("gpl-3.0", "GPL 3.0"),
                            ("cc0-1.0", "CC0 1.0"),
                            ("cc-by-4.0", "CC BY 4.0"),
                            ("cc-by-sa-4.0", "CC BY-SA 4.0"),
                            ("cc-by-nc-4.0", "CC BY-NC 4.0"),
                            ("cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"),
                            ("other", "Other (see description)"),
                        ],
                        help_text="Models and datasets.",
                        max_length=20,
                    ),
                ),
                (
                    "sources",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="The addresses the facts on this entry come from, one URL per item.",
                    ),
                ),
                (
                    "bookmark_count",
                    models.PositiveIntegerField(
                        default=0, editable=False, verbose_name="bookmarks"
                    ),
                ),
                (
                    "follower_count",
                    models.PositiveIntegerField(
                        default=0, editable=False, verbose_name="followers"
                    ),
                ),
                (
                    "pack_count",
                    models.PositiveIntegerField(
                        default=0, editable=False, verbose_name="in public packs"
                    ),
                ),
            ],
            options={
                "ordering": ["title"],
                "indexes": [
                    models.Index(fields=["kind"], name="catalogue_r_kind_293379_idx"),
                    models.Index(fields=["level"], name="catalogue_r_level_a090ed_idx"),
                    models.Index(fields=["cost"], name="catalogue_r_cost_d756af_idx"),
                    models.Index(fields=["cadence"], name="catalogue_r_cadence_3388b3_idx"),
                    models.Index(fields=["medium"], name="catalogue_r_medium_5dbb02_idx"),
                    models.Index(fields=["status"], name="catalogue_r_status_5b30c9_idx"),
                    models.Index(fields=["link_health"], name="catalogue_r_link_he_d67135_idx"),
                    models.Index(
                        fields=["is_published", "title"], name="catalogue_r_is_publ_17fe6d_idx"
                    ),
                    models.Index(fields=["-created_at"], name="catalogue_r_created_907522_idx"),
                    models.Index(fields=["-updated_at"], name="catalogue_r_updated_24f5aa_idx"),
                    models.Index(
                        condition=models.Q(("feed_url", ""), _negated=True),
                        fields=["feed_next_fetch_at"],
                        name="resource_feed_due_idx",
                    ),
                    models.Index(
                        django.db.models.functions.text.Lower("title"), name="resource_title_lower"
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "moved"), _negated=True),
                            ("moved_to__isnull", False),
                            models.Q(("moved_to_url", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="resource_moved_needs_target",
                        violation_error_message="A moved resource needs where it moved to.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Event",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150)),
                ("slug", models.SlugField(max_length=150, unique=True)),
                ("full_name", models.CharField(blank=True, max_length=300)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("academic", "Academic conference"),
                            ("industry", "Industry conference"),
                            ("workshop", "Workshop"),
                            ("meetup", "Meetup"),
                        ],
                        max_length=20,
                    ),
                ),
                ("summary", models.CharField(max_length=300)),
                (
                    "description",
                    models.TextField(blank=True, help_text="Markdown; sanitised when shown."),
                ),
                ("url", models.URLField(blank=True, max_length=500, verbose_name="URL")),
                ("organiser_text", models.CharField(blank=True, max_length=200)),
                (
                    "cadence",
                    models.CharField(
                        choices=[
                            ("annual", "Annual"),
                            ("biennial", "Every two years"),
                            ("several", "Several times a year"),
                            ("irregular", "Irregular"),
                        ],
                        default="annual",
                        max_length=20,
                    ),
                ),
                (
                    "usual_month",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        choices=[
                            (1, "January"),
                            (2, "February"),
                            (3, "March"),
                            (4, "April"),
                            (5, "May"),
                            (6, "June"),
                            (7, "July"),
                            (8, "August"),
                            (9, "September"),
                            (10, "October"),
                            (11, "November"),
                            (12, "December"),
                        ],
                        null=True,
                    ),
                ),
                (
                    "usual_month_end",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        choices=[
                            (1, "January"),
                            (2, "February"),
                            (3, "March"),
                            (4, "April"),
                            (5, "May"),
                            (6, "June"),
                            (7, "July"),
                            (8, "August"),
                            (9, "September"),
                            (10, "October"),
                            (11, "November"),
                            (12, "December"),
                        ],
                        help_text="When it usually spans two months.",
                        null=True,
                    ),
                ),
                (
                    "format",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("in-person", "In person"),
                            ("hybrid", "Hybrid"),
                            ("virtual", "Virtual"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "typical_size",
                    models.PositiveIntegerField(
                        blank=True, help_text="Typical attendance.", null=True
                    ),
                ),
                ("typical_size_note", models.CharField(blank=True, max_length=100)),
                ("needs_review", models.BooleanField(default=False)),
                ("curator_note", models.TextField(blank=True)),
                ("is_published", models.BooleanField(default=False, verbose_name="published")),
                ("is_featured", models.BooleanField(default=False, verbose_name="featured")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "organiser",
                    models.ForeignKey(
                        blank=True,
                        limit_choices_to={"kind__in": ("company", "organisation")},
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="organised_events",
                        to="catalogue.resource",
                    ),
                ),
                (
                    "related_resources",
                    models.ManyToManyField(
                        blank=True, related_name="related_events", to="catalogue.resource"
                    ),
                ),
                (
                    "topics",
                    models.ManyToManyField(blank=True, related_name="events", to="catalogue.topic"),
                ),
                (
                    "checked_on",
                    models.DateField(
                        blank=True,
                        help_text="When a curator last checked the facts.",
                        null=True,
                        verbose_name="checked on",
                    ),
                ),
                (
                    "sources",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="The addresses the facts on this entry come from, one URL per item.",
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
                "indexes": [
                    models.Index(fields=["kind"], name="catalogue_e_kind_0198bf_idx"),
                    models.Index(fields=["format"], name="catalogue_e_format_1a6d8d_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("usual_month__isnull", True),
                            models.Q(("usual_month__gte", 1), ("usual_month__lte", 12)),
                            _connector="OR",
                        ),
                        name="event_usual_month_valid",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Edition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField()),
                (
                    "name",
                    models.CharField(
                        blank=True, help_text="Defaults to event and year.", max_length=150
                    ),
                ),
                ("start_date", models.DateField(blank=True, null=True)),
                ("end_date", models.DateField(blank=True, null=True)),
                ("city", models.CharField(blank=True, max_length=100)),
                ("country", models.CharField(blank=True, max_length=100)),
                (
                    "format",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("in-person", "In person"),
                            ("hybrid", "Hybrid"),
                            ("virtual", "Virtual"),
                        ],
                        max_length=20,
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=500, verbose_name="URL")),
                ("needs_review", models.BooleanField(default=False)),
                ("curator_note", models.TextField(blank=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="editions",
                        to="catalogue.event",
                    ),
                ),
                (
                    "is_expected",
                    models.BooleanField(
                        default=False,
                        help_text="Dates inferred from the usual month, not announced: shown as expected.",
                        verbose_name="expected",
                    ),
                ),
                (
                    "sources",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="The addresses the dates come from, one URL per item.",
                    ),
                ),
            ],
            options={
                "ordering": ["event__name", "-year"],
                "indexes": [
                    models.Index(fields=["start_date"], name="catalogue_e_start_d_12b707_idx"),
                    models.Index(fields=["end_date"], name="catalogue_e_end_dat_74fbc0_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("event", "year"), name="edition_unique_year"),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("start_date__isnull", True),
                            ("end_date__isnull", True),
                            ("end_date__gte", models.F("start_date")),
                            _connector="OR",
                        ),
                        name="edition_end_after_start",
                        violation_error_message="An edition cannot end before it starts.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("end_date__isnull", True), ("start_date__isnull", True)),
                            models.Q(("end_date__isnull", False), ("start_date__isnull", False)),
                            _connector="OR",
                        ),
                        name="edition_dates_both_or_neither",
                        violation_error_message="Give both a start and an end date, or neither.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Deadline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("abstract", "Abstract"),
                            ("paper", "Paper submission"),
                            ("camera-ready", "Camera-ready"),
                            ("registration", "Registration"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                ("label", models.CharField(blank=True, max_length=150)),
                ("due_at", models.DateTimeField(help_text="The exact instant, in UTC.")),
                (
                    "is_aoe",
                    models.BooleanField(
                        default=False, verbose_name="announced as Anywhere on Earth"
                    ),
                ),
                (
                    "sequence",
                    models.PositiveIntegerField(
                        default=0,
                        editable=False,
                        help_text="Raised whenever the date changes (iCalendar).",
                    ),
                ),
                ("needs_review", models.BooleanField(default=False)),
                ("curator_note", models.TextField(blank=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "edition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deadlines",
                        to="catalogue.edition",
                    ),
                ),
            ],
            options={
                "ordering": ["due_at"],
                "indexes": [models.Index(fields=["due_at"], name="catalogue_d_due_at_0c6f41_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("edition", "kind"), name="deadline_unique_kind")
                ],
            },
        ),
        migrations.CreateModel(
            name="Person",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150)),
                ("slug", models.SlugField(max_length=150, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("academic", "Academic"),
                            ("industry", "Industry"),
                            ("educator", "Educator"),
                        ],
                        max_length=20,
                    ),
                ),
                ("headline", models.CharField(blank=True, max_length=200)),
                (
                    "affiliation_text",
                    models.CharField(
                        blank=True,
                        help_text="When the affiliation is not in the catalogue.",
                        max_length=200,
                    ),
                ),
                ("bio", models.TextField(blank=True, help_text="Markdown; sanitised when shown.")),
                ("website", models.URLField(blank=True, max_length=500)),
                (
                    "twitter",
                    models.CharField(blank=True, max_length=50, verbose_name="X/Twitter handle"),
                ),
                (
                    "bluesky",
                    models.CharField(blank=True, max_length=100, verbose_name="Bluesky handle"),
                ),
                (
                    "github",
                    models.CharField(blank=True, max_length=50, verbose_name="GitHub username"),
                ),
                (
                    "scholar",
                    models.URLField(blank=True, max_length=500, verbose_name="Google Scholar"),
                ),
                ("needs_review", models.BooleanField(default=False)),
                ("curator_note", models.TextField(blank=True)),
                ("is_published", models.BooleanField(default=False, verbose_name="published")),
                ("is_featured", models.BooleanField(default=False, verbose_name="featured")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "affiliation",
                    models.ForeignKey(
                        blank=True,
                        limit_choices_to={"kind__in": ("company", "organisation")},
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="members",
                        to="catalogue.resource",
                    ),
                ),
                (
                    "topics",
                    models.ManyToManyField(blank=True, related_name="people", to="catalogue.topic"),
                ),
                (
                    "checked_on",
                    models.DateField(
                        blank=True,
                        help_text="When a curator last checked the facts.",
                        null=True,
                        verbose_name="checked on",
                    ),
                ),
                (
                    "sources",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="The addresses the facts on this entry come from, one URL per item.",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "people",
                "ordering": ["name"],
                "indexes": [
                    models.Index(fields=["kind"], name="catalogue_p_kind_6750fc_idx"),
                    models.Index(
                        fields=["is_published", "name"], name="catalogue_p_is_publ_329bae_idx"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="FeedEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("guid", models.CharField(max_length=500)),
                ("title", models.CharField(max_length=500)),
                ("link", models.URLField(blank=True, max_length=1000)),
                ("summary", models.TextField(blank=True, help_text="Sanitised HTML.")),
                ("published_at", models.DateTimeField()),
                ("first_seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="catalogue.resource",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "feed entries",
                "ordering": ["-published_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["resource", "-published_at"], name="catalogue_f_resourc_7326df_idx"
                    ),
                    models.Index(fields=["-published_at"], name="catalogue_f_publish_93647a_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("resource", "guid"), name="feedentry_unique_guid"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ResourcePerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("creator", "Creator"),
                            ("maintainer", "Maintainer"),
                            ("lead", "Lead"),
                            ("editor", "Editor"),
                            ("host", "Host"),
                            ("author", "Author"),
                            ("contributor", "Contributor"),
                            ("member", "Member"),
                        ],
                        default="contributor",
                        max_length=20,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roles",
                        to="catalogue.person",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roles",
                        to="catalogue.resource",
                    ),
                ),
            ],
            options={
                "verbose_name": "person on a resource",
                "verbose_name_plural": "people on resources",
                "ordering": ["resource__title", "person__name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("resource", "person", "role"), name="resourceperson_unique_role"
                    )
                ],
            },
        ),
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
            options={
                "db_table": "catalogue_resource_fts",
                "managed": False,
            },
        ),
        migrations.AddField(
            model_name="resource",
            name="people",
            field=models.ManyToManyField(
                blank=True,
                related_name="resources",
                through="catalogue.ResourcePerson",
                to="catalogue.person",
            ),
        ),
        TrigramExtension(),
        migrations.RunPython(create_search_schema, drop_search_schema),
    ]
