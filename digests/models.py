"""What a member receives by e-mail, and the log of what was sent.

The schedule lives in ``MailSettings.next_digest_at`` (a UTC instant, indexed): a
digest is due when it has passed. The send logs (``Digest`` with the ids of the posts it
carried, ``ReminderSent``) are written in the same transaction that claims the member's row, so
the database, not the job queue, is the record of what went out.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from catalogue.models import Deadline


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names if "/" in name or name == "UTC"]


class MailSettingsQuerySet(models.QuerySet):
    def verified(self):
        """Members whose current address is the one they verified (compared lowercased:
        ``iexact`` against a column would be a LIKE pattern on SQLite)."""
        return (
            self.exclude(verified_email="")
            .filter(user__is_active=True)
            .alias(_verified=Lower("verified_email"), _current=Lower("user__email"))
            .filter(_verified=models.F("_current"))
        )

    def digest_due(self, now: dt.datetime):
        return (
            self.verified()
            .exclude(frequency=MailSettings.Frequency.OFF)
            .filter(next_digest_at__lte=now)
        )

    def wanting_digests(self):
        return self.verified().exclude(frequency=MailSettings.Frequency.OFF)

    def wanting_reminders(self):
        return self.verified().filter(reminders=True)


class MailSettings(models.Model):
    """A member's address verification and what they want by mail."""

    class Frequency(models.TextChoices):
        OFF = "off", "Off"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mail_settings",
    )
    verified_email = models.EmailField(
        blank=True, help_text="The address the member proved they read; empty until then."
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    verification_sends = models.PositiveSmallIntegerField(
        default=0, help_text="Verification mails sent in the current rate-limit window."
    )

    frequency = models.CharField(
        "digest", max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    hour = models.PositiveSmallIntegerField(
        default=8, choices=[(h, f"{h:02d}:00") for h in range(24)]
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    include_posts = models.BooleanField("new posts from what you follow", default=True)
    include_deadlines = models.BooleanField(
        "deadlines and editions of events you bookmarked or follow", default=True
    )
    reminders = models.BooleanField("deadline reminders 7 days and 1 day before", default=True)

    next_digest_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    objects = MailSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = "mail settings"
        verbose_name_plural = "mail settings"

    def __str__(self) -> str:
        return f"mail settings of {self.user}"

    @property
    def is_verified(self) -> bool:
        return bool(self.verified_email) and (
            self.verified_email.lower() == (self.user.email or "").lower()
        )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def next_slot(self, after: dt.datetime) -> dt.datetime | None:
        """The first scheduled instant strictly after ``after`` (UTC), or None when off.

        Computed on the member's wall clock, so 08:00 stays 08:00 across daylight-saving
        changes; a wall time that does not exist that day (skipped by a spring-forward)
        is taken as the same wall time with the new offset (``fold=0``, PEP 495).
        """
        if self.frequency == self.Frequency.OFF:
            return None
        zone = self.zone
        local = after.astimezone(zone)
        day = local.date()
        for offset in range(0, 9):
            candidate_day = day + dt.timedelta(days=offset)
            if self.frequency == self.Frequency.WEEKLY and candidate_day.weekday() != self.weekday:
                continue
            wall = dt.datetime.combine(candidate_day, dt.time(self.hour), tzinfo=zone)
            # Round-trip through UTC: normalises a non-existent wall time.
            instant = wall.astimezone(dt.UTC)
            if instant > after:
                return instant
        raise AssertionError("a daily or weekly slot always exists within 8 days")

    def reschedule(self, now: dt.datetime) -> None:
        """Point ``next_digest_at`` at the next slot after ``now`` (the caller saves)."""
        self.next_digest_at = self.next_slot(now) if self.is_verified else None

    def period(self) -> dt.timedelta:
        return dt.timedelta(days=1 if self.frequency == self.Frequency.DAILY else 7)


class Digest(models.Model):
    """One digest as sent: the send log. ``slot`` is the scheduled instant it served."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    slot = models.DateTimeField(help_text="The scheduled instant (or the forced run) it served.")
    sent_at = models.DateTimeField(default=timezone.now)
    to = models.EmailField()
    message_id = models.CharField(max_length=255)
    post_count = models.PositiveIntegerField(default=0)
    deadline_count = models.PositiveIntegerField(default=0)
    post_ids = models.JSONField(
        default=list,
        blank=True,
        help_text="The posts (FeedEntry ids) it carried: they never go to this member again.",
    )

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["user", "slot"], name="digest_unique_slot")]

    def __str__(self) -> str:
        return f"digest to {self.to} at {self.sent_at:%Y-%m-%d %H:%M}"


class ReminderSent(models.Model):
    """A deadline reminder as sent. A week and a day reminder go once per deadline,
    whatever later edits do; a moved notice goes once per new date."""

    class Kind(models.TextChoices):
        WEEK = "week", "7 days before"
        DAY = "day", "1 day before"
        MOVED = "moved", "the date moved"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField(help_text="The deadline's instant as the mail announced it.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "deadline", "kind"],
                condition=~Q(kind="moved"),
                name="reminder_once_per_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "deadline", "due_at"],
                condition=Q(kind="moved"),
                name="reminder_moved_once_per_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder of {self.deadline_id} to {self.user_id}"
