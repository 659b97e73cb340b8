"""The curators' staleness queue: what most needs a look, most urgent first.

An entry enters the queue when its facts were not checked for 180 days, it needs
review, its link is dead, its (fetched) feed has been silent for 90 days, or — for an
event — its last edition is over and no next one is entered. The queue page lists
resources, people and events together; on an event the one action adds the next
edition, marked expected, from the event's usual month (``add_next_edition``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Event, Person, Resource
from catalogue.versioning import catalogue_changed

QUEUE_LIMIT = 300
# How much each reason weighs: a dead link or a conference with no next edition
# can be fixed now; a review is a known doubt; a quiet feed or an old check may be fine.
WEIGHTS = {"broken": 8, "no-next": 8, "flagged": 4, "silent": 2, "stale": 1}
REASONS = {
    "broken": "link broken",
    "no-next": "last edition passed, no next one",
    "flagged": "needs review",
    "silent": "feed silent for 90 days",
    "stale": "not checked for 180 days",
}


@dataclass
class QueueRow:
    entry: Resource | Person | Event
    type_label: str
    change_url: str
    reasons: list[str] = field(default_factory=list)

    @property
    def urgency(self) -> int:
        return sum(WEIGHTS[reason] for reason in self.reasons)

    @property
    def reason_labels(self) -> list[str]:
        return [REASONS[reason] for reason in self.reasons]

    @property
    def checked_on(self) -> dt.date | None:
        return self.entry.checked_on

    @property
    def needs_next_edition(self) -> bool:
        return "no-next" in self.reasons


def queue_rows(now: dt.datetime | None = None) -> list[QueueRow]:
    """Every entry that needs a look, the most urgent first, then the longest unchecked."""
    now = now or timezone.now()
    today = now.date()
    rows = []
    for resource in Resource.objects.needing_a_look(now):
        reasons = [
            name for name in ("broken", "flagged", "silent", "stale") if getattr(resource, name)
        ]
        rows.append(row(resource, resource.get_kind_display(), reasons))
    for person in Person.objects.needing_a_look(today):
        reasons = ["flagged"] if person.needs_review else []
        reasons += ["stale"] if person.is_stale(today) else []
        rows.append(row(person, "Person", reasons))
    for event in Event.objects.needing_a_look(today):
        reasons = ["no-next"] if event.passed else []
        reasons += ["flagged"] if event.needs_review else []
        reasons += ["stale"] if event.is_stale(today) else []
        rows.append(row(event, "Event", reasons))
    never = dt.date.min
    rows.sort(key=lambda r: (-r.urgency, r.checked_on or never, str(r.entry).lower()))
    return rows


def row(entry, type_label: str, reasons: list[str]) -> QueueRow:
    opts = entry._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.pk])
    return QueueRow(entry=entry, type_label=type_label, change_url=url, reasons=reasons)


def staleness_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    rows = queue_rows()
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Staleness queue",
        "opts": model_admin.model._meta,
        "rows": rows[:QUEUE_LIMIT],
        "total": len(rows),
        "limit": QUEUE_LIMIT,
        "can_add_editions": request.user.has_perm("catalogue.change_event"),
        "event_changelist": reverse("admin:catalogue_event_changelist"),
    }
    return TemplateResponse(request, "admin/catalogue/staleness.html", context)


class StalenessFilter(admin.SimpleListFilter):
    """Resources by what the staleness queue would say about them."""

    title = "needs a look"
    parameter_name = "look"

    def lookups(self, request, model_admin):
        return [("any", "Any reason"), ("stale", REASONS["stale"]), ("silent", REASONS["silent"])]

    def queryset(self, request, queryset):
        if self.value() not in {"any", "stale", "silent"}:
            return queryset
        queryset = queryset.needing_a_look()
        if self.value() == "any":
            return queryset
        return queryset.filter(**{self.value(): 1})


class NextEditionFilter(admin.SimpleListFilter):
    title = "next edition"
    parameter_name = "next"

    def lookups(self, request, model_admin):
        return [("missing", REASONS["no-next"])]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.without_next_edition()
        return queryset


@admin.action(description="Mark selected entries as checked today", permissions=["change"])
def mark_checked(modeladmin, request: HttpRequest, queryset) -> None:
    count = queryset.update(checked_on=timezone.now().date())
    catalogue_changed()  # a bulk update sends no signals: start new cached counts
    modeladmin.message_user(request, f"Marked {count} entries checked today.", messages.SUCCESS)
