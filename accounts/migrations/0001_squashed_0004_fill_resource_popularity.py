"""Members and their things as 0001-0004 left them, in one migration. 0004 only filled
the popularity counts of existing rows: a new database has none, an existing one has run it."""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import accounts.models


class Migration(migrations.Migration):
    replaces = [
        ("accounts", "0001_initial"),
        ("accounts", "0002_external_link_proxy"),
        ("accounts", "0003_bookmark_tags"),
        ("accounts", "0004_fill_resource_popularity"),
    ]

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("catalogue", "0001_squashed_0007_resource_popularity_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("password", models.CharField(max_length=128, verbose_name="password")),
                (
                    "last_login",
                    models.DateTimeField(blank=True, null=True, verbose_name="last login"),
                ),
                (
                    "is_superuser",
                    models.BooleanField(
                        default=False,
                        help_text="Designates that this user has all permissions without explicitly assigning them.",
                        verbose_name="superuser status",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        error_messages={"unique": "A user with that username already exists."},
                        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                        max_length=150,
                        unique=True,
                        validators=[django.contrib.auth.validators.UnicodeUsernameValidator()],
                        verbose_name="username",
                    ),
                ),
                (
                    "first_name",
                    models.CharField(blank=True, max_length=150, verbose_name="first name"),
                ),
                (
                    "last_name",
                    models.CharField(blank=True, max_length=150, verbose_name="last name"),
                ),
                (
                    "email",
                    models.EmailField(blank=True, max_length=254, verbose_name="email address"),
                ),
                (
                    "is_staff",
                    models.BooleanField(
                        default=False,
                        help_text="Designates whether the user can log into this admin site.",
                        verbose_name="staff status",
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(
                        default=True,
                        help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.",
                        verbose_name="active",
                    ),
                ),
                (
                    "date_joined",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="date joined"
                    ),
                ),
                ("display_name", models.CharField(blank=True, max_length=100)),
                (
                    "feed_token",
                    models.CharField(
                        default=accounts.models.new_feed_token, max_length=64, unique=True
                    ),
                ),
                (
                    "feed_seen_at",
                    models.DateTimeField(
                        blank=True, help_text="When the member last opened their feed.", null=True
                    ),
                ),
                (
                    "groups",
                    models.ManyToManyField(
                        blank=True,
                        help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.group",
                        verbose_name="groups",
                    ),
                ),
                (
                    "user_permissions",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Specific permissions for this user.",
                        related_name="user_set",
                        related_query_name="user",
                        to="auth.permission",
                        verbose_name="user permissions",
                    ),
                ),
            ],
            options={
                "verbose_name": "user",
                "verbose_name_plural": "users",
                "abstract": False,
            },
            managers=[
                ("objects", django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name="StarterPack",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=120)),
                ("slug", models.SlugField(max_length=120)),
                ("description", models.TextField(blank=True, max_length=2000)),
                (
                    "visibility",
                    models.CharField(
                        choices=[
                            ("private", "Private — only you"),
                            ("unlisted", "Unlisted — anyone with the link"),
                            ("public", "Public — listed on the site"),
                        ],
                        default="private",
                        max_length=20,
                    ),
                ),
                ("is_featured", models.BooleanField(default=False, verbose_name="featured")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "copied_from",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="copies",
                        to="accounts.starterpack",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="packs",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-is_featured", "title"],
                "indexes": [
                    models.Index(
                        fields=["visibility", "is_featured"], name="accounts_st_visibil_4945ed_idx"
                    )
                ],
            },
        ),
        # Added on its own as in 0001: on SQLite that rebuilds the table, which puts the
        # self-referencing copied_from column last, where existing databases have it.
        migrations.AddConstraint(
            model_name="starterpack",
            constraint=models.UniqueConstraint(
                fields=("owner", "slug"), name="starterpack_unique_slug"
            ),
        ),
        migrations.CreateModel(
            name="PackItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0)),
                ("external_title", models.CharField(blank=True, max_length=200)),
                ("external_url", models.URLField(blank=True, max_length=500)),
                ("note", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="catalogue.event",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="catalogue.person",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="catalogue.resource",
                    ),
                ),
                (
                    "pack",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="accounts.starterpack",
                    ),
                ),
            ],
            options={
                "ordering": ["pack", "position", "id"],
                "indexes": [
                    models.Index(fields=["pack", "position"], name="accounts_pa_pack_id_d1ca04_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                models.Q(
                                    models.Q(
                                        ("event__isnull", True),
                                        ("person__isnull", True),
                                        ("resource__isnull", False),
                                    ),
                                    models.Q(
                                        ("event__isnull", True),
                                        ("person__isnull", False),
                                        ("resource__isnull", True),
                                    ),
                                    models.Q(
                                        ("event__isnull", False),
                                        ("person__isnull", True),
                                        ("resource__isnull", True),
                                    ),
                                    _connector="OR",
                                ),
                                ("external_url", ""),
                            ),
                            models.Q(
                                ("event__isnull", True),
                                ("external_url__gt", ""),
                                ("person__isnull", True),
                                ("resource__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="packitem_one_target",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Follow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follows",
                        to="catalogue.resource",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follows",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "resource"), name="follow_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="ExternalLink",
            fields=[],
            options={
                "verbose_name": "suggested link",
                "verbose_name_plural": "suggested links (from packs)",
                "proxy": True,
            },
            bases=("accounts.packitem",),
        ),
        migrations.CreateModel(
            name="BookmarkTag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40)),
                ("slug", models.SlugField(allow_unicode=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bookmark_tags",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "slug"), name="bookmarktag_unique_slug")
                ],
            },
        ),
        migrations.CreateModel(
            name="Bookmark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=1000)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="catalogue.event",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="catalogue.person",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="catalogue.resource",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bookmarks",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "tags",
                    models.ManyToManyField(
                        blank=True, related_name="bookmarks", to="accounts.bookmarktag"
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("event__isnull", True),
                                ("person__isnull", True),
                                ("resource__isnull", False),
                            ),
                            models.Q(
                                ("event__isnull", True),
                                ("person__isnull", False),
                                ("resource__isnull", True),
                            ),
                            models.Q(
                                ("event__isnull", False),
                                ("person__isnull", True),
                                ("resource__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="bookmark_one_target",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("resource__isnull", False)),
                        fields=("user", "resource"),
                        name="bookmark_unique_resource",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("person__isnull", False)),
                        fields=("user", "person"),
                        name="bookmark_unique_person",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("event__isnull", False)),
                        fields=("user", "event"),
                        name="bookmark_unique_event",
                    ),
                ],
            },
        ),
    ]
