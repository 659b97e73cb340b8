"""Suggestions from members: new entries for the catalogue and corrections to existing ones.

Curators decide each one in the admin (accept, reject with a reason, or mark duplicate);
the member sees the outcome on /me/suggestions/. Nothing here changes the catalogue by
itself: an accepted new entry is created by a curator through the admin's add form.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from catalogue.models import Event, Person, Resource

#: Suggestions one member may file in any 24 hours (forms and OPML imports together):
#: enough for honest use, small enough that one account cannot flood the queue.
DAILY_LIMIT = 10
LIMIT_WINDOW = dt.timedelta(hours=24)


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Suggestion.Status.PENDING)

    def of_member(self, member):
        return self.filter(member=member)

    def filed_recently(self, member, now: dt.datetime | None = None):
        """What counts against the daily limit: the member's last 24 hours."""
        now = now or timezone.now()
        return self.filter(member=member, created_at__gt=now - LIMIT_WINDOW)

    def credits_for(self, resource: Resource):
        """Accepted new-entry suggestions that became ``resource`` and may be credited."""
        return self.filter(
            resource=resource,
            kind=Suggestion.Kind.NEW_ENTRY,
            status=Suggestion.Status.ACCEPTED,
            credit_publicly=True,
        )

    def queue_order(self):
        return self.order_by(*queue_ordering())


def queue_ordering() -> list:
    """Pending first, oldest first: the order a curator works through them."""
    pending_first = models.Case(
        models.When(status=Suggestion.Status.PENDING, then=0),
        default=1,
        output_field=models.IntegerField(),
    )
    return [pending_first.asc(), "created_at", "pk"]


class Suggestion(models.Model):
    """A member's proposal: a new entry (title, URL, kind, why) or a correction to one entry."""

    class Kind(models.TextChoices):
        NEW_ENTRY = "new", "New entry"
        CORRECTION = "correction", "Correction"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        DUPLICATE = "duplicate", "Duplicate"

    class Source(models.TextChoices):
        FORM = "form", "Suggestion form"
        OPML = "opml", "OPML import"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)

    # A new entry.
    title = models.CharField(max_length=200, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    entry_kind = models.CharField(
        "kind of entry", max_length=20, choices=Resource.Kind.choices, blank=True
    )
    credit_publicly = models.BooleanField(
        "credit me publicly",
        default=True,
        help_text="If the entry is added, its page says “suggested by” you.",
    )

    # Why the entry belongs (new) or what is wrong (correction), and the evidence.
    message = models.TextField(max_length=2000)
    evidence_url = models.URLField("evidence URL", max_length=500, blank=True)

    # The entry concerned: a correction's target, the entry an accepted suggestion became,
    # or the existing entry a duplicate repeats. Entries outlive suggestions, never the
    # other way round, hence SET_NULL.
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(
        blank=True, help_text="Shown to the member: why it was rejected, or a note."
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="suggestion_member_recent"),
            models.Index(fields=["status", "created_at"], name="suggestion_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="new") | ~Q(url=""),
                name="suggestion_new_entry_has_url",
                violation_error_message="A new entry needs a URL.",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="suggestion_rejected_has_reason",
                violation_error_message="A rejection needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.headline}"

    def get_absolute_url(self) -> str:
        return reverse("suggestions:detail", args=[self.pk])

    @property
    def target(self) -> Resource | Person | Event | None:
        return self.resource or self.person or self.event

    @property
    def headline(self) -> str:
        if self.kind == self.Kind.NEW_ENTRY:
            return self.title or self.url
        target = self.target
        return f"Correction to {target}" if target else "Correction to a removed entry"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def _decide(self, status: str, by, **fields) -> None:
        self.status = status
        self.decided_at = timezone.now()
        self.decided_by = by
        for name, value in fields.items():
            setattr(self, name, value)
        self.save()

    def accept(self, by, *, entry: Resource | None = None) -> None:
        """Accept: a new entry records the resource it became; a correction its target."""
        self._decide(self.Status.ACCEPTED, by, **({"resource": entry} if entry else {}))

    def reject(self, by, reason: str) -> None:
        if not reason.strip():
            raise ValueError("A rejection needs a reason.")
        self._decide(self.Status.REJECTED, by, reason=reason.strip())

    def mark_duplicate(
        self, by, *, of: Suggestion | None = None, entry: Resource | None = None
    ) -> None:
        if (of is None) == (entry is None):
            raise ValueError("A duplicate repeats exactly one suggestion or entry.")
        if of is not None and of.pk == self.pk:
            raise ValueError("A suggestion cannot duplicate itself.")
        fields = {"duplicate_of": of} if of else {"resource": entry}
        self._decide(self.Status.DUPLICATE, by, **fields)

    def reopen(self) -> None:
        """Back to the queue, for a decision made by mistake."""
        self.status = self.Status.PENDING
        self.decided_at = None
        self.decided_by = None
        self.save()

    def resource_initial(self) -> dict:
        """What the admin's Resource add form starts with when this suggestion is accepted."""

        when = self.created_at.date().isoformat()
        note = f"Suggested by {self.member.username} on {when}: {self.message}"
        initial = {
            "title": self.title,
            "slug": slugify(self.title)[:200],
            "kind": self.entry_kind,
            "url": self.url,
            "sources": [self.url],
            "checked_on": timezone.localdate(),
            "curator_note": note,
        }
        if self.source == self.Source.OPML:
            initial["feed_url"] = self.url  # the site's own address is for the curator to find
        return initial
