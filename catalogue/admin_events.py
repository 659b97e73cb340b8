"""Admin pieces for events, editions and deadlines (wired into catalogue/admin.py).

- ``add_next_edition``: an action on events.
- ``DeadlineAdminForm``: raises ``Deadline.sequence`` when the instant changes, so
  calendar apps replace the old deadline, and lets a curator type a date
  "Anywhere on Earth" instead of converting it to UTC by hand.
- ``deadlines_summary``: a read-only column for the edition inline on an event.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from catalogue.calendars import format_due
from catalogue.models import Deadline, Edition, Event


def next_edition_name(last: Edition, year: int) -> str:
    """A custom name carries over with its year updated ("Foo 2026" → "Foo 2027")."""
    if not last.name:
        return ""
    return last.name.replace(str(last.year), str(year))


@admin.action(
    description="Add next edition (a year on, dates blank, flagged for review)",
    permissions=["change"],
)
def add_next_edition(modeladmin, request: HttpRequest, queryset: QuerySet[Event]) -> None:
    """Copy each event's last dated edition a year on, without dates, flagged for review.

    The format carries over; dates, place and URL change from year to year, so
    they are left blank for the curator rather than guessed.
    """
    created, skipped = [], []
    for event in queryset.order_by("name"):
        # Copy the latest *dated* edition, so running the action again once next
        # year's placeholder exists skips instead of adding the year after.
        last = (
            event.editions.dated().order_by("-year").first()
            or event.editions.order_by("-year").first()
        )
        if last is None:
            skipped.append(f"{event.name} has no edition to copy")
            continue
        year = last.year + 1
        if event.editions.filter(year=year).exists():
            skipped.append(f"{event.name} {year} already exists")
            continue
        with transaction.atomic():
            Edition.objects.create(
                event=event,
                year=year,
                name=next_edition_name(last, year),
                format=last.format,
                needs_review=True,
                curator_note=(
                    f"Added from the {last.year} edition by “add next edition”: "
                    "fill in the dates, city, country and URL, then clear “needs review”."
                ),
            )
        created.append(f"{event.name} {year}")
    if created:
        modeladmin.message_user(
            request, f"Added {len(created)}: {', '.join(created)}.", messages.SUCCESS
        )
    if skipped:
        modeladmin.message_user(request, f"Skipped: {'; '.join(skipped)}.", messages.WARNING)


class DeadlineAdminForm(forms.ModelForm):
    """Deadline form for the inline and the Deadline admin.

    ``aoe_date`` is a convenience: "23:59 AoE on this day", stored as the exact
    UTC instant with ``is_aoe`` set. Saving with a changed instant raises
    ``sequence`` (RFC 5545 §3.8.7.4), which calendar clients use to replace the
    copy they hold.
    """

    aoe_date = forms.DateField(
        label="or due date (AoE)",
        required=False,
        help_text="23:59 Anywhere on Earth on this day; fills the UTC instant for you.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Deadline
        fields = ["edition", "kind", "label", "due_at", "is_aoe", "needs_review", "curator_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Compared on save: a changed instant raises the iCalendar SEQUENCE.
        self.original_due_at = self.instance.due_at if self.instance.pk else None
        if "due_at" in self.fields:
            self.fields["due_at"].required = False
            self.fields["due_at"].help_text = "The exact instant, in UTC."

    def clean(self):
        cleaned = super().clean()
        aoe_date = cleaned.get("aoe_date")
        if aoe_date:
            cleaned["due_at"] = Deadline.aoe_instant(aoe_date)
            cleaned["is_aoe"] = True
            self.instance.due_at = cleaned["due_at"]
            self.instance.is_aoe = True
        elif not cleaned.get("due_at") and "due_at" not in self.errors:
            self.add_error("due_at", "Give the instant in UTC, or a date Anywhere on Earth.")
        return cleaned

    def due_at_changed(self) -> bool:
        """Whether an existing deadline's instant differs from the one stored."""
        return self.original_due_at is not None and self.instance.due_at != self.original_due_at

    def save(self, commit: bool = True) -> Deadline:
        if self.due_at_changed():
            self.instance.sequence += 1
        return super().save(commit=commit)


@admin.display(description="deadlines")
def deadlines_summary(edition: Edition) -> str:
    """Read-only list of an edition's deadlines, for the edition inline on an event."""
    if not edition.pk:
        return "—"
    deadlines = list(edition.deadlines.all())
    if not deadlines:
        return "None yet — open the edition to add them."
    return format_html_join(
        "", "<div>{}: {}</div>", ((d.display_label, format_due(d)) for d in deadlines)
    )
