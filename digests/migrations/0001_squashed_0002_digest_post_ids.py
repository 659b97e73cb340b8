"""Mail settings and send logs as 0001-0002 left them, in one migration. 0002 moved
existing SentPost rows into Digest.post_ids and dropped the table: a new database starts
with post_ids, an existing one has run it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("digests", "0001_mail_settings_and_send_logs"),
        ("digests", "0002_digest_post_ids"),
    ]

    initial = True

    dependencies = [
        ("accounts", "0001_squashed_0004_fill_resource_popularity"),
        ("catalogue", "0001_squashed_0007_resource_popularity_counts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MailSettings",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="mail_settings",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "verified_email",
                    models.EmailField(
                        blank=True,
                        help_text="The address the member proved they read; empty until then.",
                        max_length=254,
                    ),
                ),
                ("verified_at", models.DateTimeField(blank=True, null=True)),
                ("verification_sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "verification_sends",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Verification mails sent in the current rate-limit window.",
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[("off", "Off"), ("daily", "Daily"), ("weekly", "Weekly")],
                        default="weekly",
                        max_length=10,
                        verbose_name="digest",
                    ),
                ),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "Monday"),
                            (1, "Tuesday"),
                            (2, "Wednesday"),
                            (3, "Thursday"),
                            (4, "Friday"),
                            (5, "Saturday"),
                            (6, "Sunday"),
                        ],
                        default=0,
                    ),
                ),
                (
                    "hour",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "00:00"),
                            (1, "01:00"),
                            (2, "02:00"),
                            (3, "03:00"),
                            (4, "04:00"),
                            (5, "05:00"),
                            (6, "06:00"),
                            (7, "07:00"),
                            (8, "08:00"),
                            (9, "09:00"),
                            (10, "10:00"),
                            (11, "11:00"),
                            (12, "12:00"),
                            (13, "13:00"),
                            (14, "14:00"),
                            (15, "15:00"),
                            (16, "16:00"),
                            (17, "17:00"),
                            (18, "18:00"),
                            (19, "19:00"),
                            (20, "20:00"),
                            (21, "21:00"),
                            (22, "22:00"),
                            (23, "23:00"),
                        ],
                        default=8,
                    ),
                ),
                ("time_zone", models.CharField(default="UTC", max_length=64)),
                (
                    "include_posts",
                    models.BooleanField(
                        default=True, verbose_name="new posts from what you follow"
                    ),
                ),
                (
                    "include_deadlines",
                    models.BooleanField(
                        default=True,
                        verbose_name="deadlines and editions of events you bookmarked or follow",
                    ),
                ),
                (
                    "reminders",
                    models.BooleanField(
                        default=True, verbose_name="deadline reminders 7 days and 1 day before"
                    ),
                ),
                ("next_digest_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                ("last_digest_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "mail settings",
                "verbose_name_plural": "mail settings",
            },
        ),
        migrations.CreateModel(
            name="Digest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "slot",
                    models.DateTimeField(
                        help_text="The scheduled instant (or the forced run) it served."
                    ),
                ),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("to", models.EmailField(max_length=254)),
                ("message_id", models.CharField(max_length=255)),
                ("post_count", models.PositiveIntegerField(default=0)),
                ("deadline_count", models.PositiveIntegerField(default=0)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="digests",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "post_ids",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="The posts (FeedEntry ids) it carried: they never go to this member again.",
                    ),
                ),
            ],
            options={
                "ordering": ["-sent_at"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "slot"), name="digest_unique_slot")
                ],
            },
        ),
        migrations.CreateModel(
            name="ReminderSent",
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
                            ("week", "7 days before"),
                            ("day", "1 day before"),
                            ("moved", "the date moved"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "due_at",
                    models.DateTimeField(
                        help_text="The deadline's instant as the mail announced it."
                    ),
                ),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "deadline",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalogue.deadline",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-sent_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "moved"), _negated=True),
                        fields=("user", "deadline", "kind"),
                        name="reminder_once_per_kind",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "moved")),
                        fields=("user", "deadline", "due_at"),
                        name="reminder_moved_once_per_date",
                    ),
                ],
            },
        ),
    ]
