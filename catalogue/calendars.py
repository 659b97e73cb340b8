"""iCalendar (RFC 5545) files of editions and deadlines, built with the icalendar library.

- Editions are all-day events: DTSTART;VALUE=DATE and an *exclusive* DTEND (the
  day after the last day), so a 1–5 September conference covers five days.
- Deadlines are instants in UTC (``…Z``), with no DTEND (RFC 5545 §3.6.1: an event
  with a DATE-TIME start and no end ends when it starts) and a VALARM a day before.
- Every component has a stable UID built from the primary key, so calendar apps
  update entries in place; DTSTAMP and LAST-MODIFIED are the row's last change in
  UTC (no METHOD is set, so DTSTAMP means "last revised", §3.8.7.2); a deadline's
  SEQUENCE is raised by the admin whenever its date changes.
- Line endings (CRLF), folding at 75 octets and escaping are the library's.
- Links point to the host the calendar was requested from, like the site's other
  exports (OPML, Markdown), not to a configured address.
- The site calendar keeps a year of history (``CALENDAR_HISTORY``), so a subscriber
  never sees it empty between conference seasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone

from catalogue.models import Deadline, Edition, Event

PRODID = "-//ASR Hub//Conference calendar//EN"
# UIDs must never change, so they do not depend on the site's current address.
UID_DOMAIN = "asrhub"
REFRESH_INTERVAL = dt.timedelta(hours=12)
CALENDAR_HISTORY = dt.timedelta(days=365)


def edition_uid(edition: Edition) -> str:
    return f"edition-{edition.pk}@{UID_DOMAIN}"


def deadline_uid(deadline: Deadline) -> str:
    return f"deadline-{deadline.pk}@{UID_DOMAIN}"


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def format_due(deadline: Deadline) -> str:
    """ "25 Feb 2026, 23:59 AoE (26 Feb 2026, 11:59 UTC)" or "… UTC"."""
    instant = deadline.due_at.astimezone(dt.UTC)
    utc_text = f"{instant.day} {instant:%b %Y, %H:%M} UTC"
    if deadline.is_aoe:
        aoe = deadline.due_at_aoe
        return f"{aoe.day} {aoe:%b %Y, %H:%M} AoE ({utc_text})"
    return utc_text


def utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(microsecond=0)


def edition_component(edition: Edition, base_url: str) -> icalendar.Event:
    event = edition.event
    component = icalendar.Event()
    component.add("uid", edition_uid(edition))
    component.add("dtstamp", utc(edition.updated_at))
    component.add("last-modified", utc(edition.updated_at))
    component.add("dtstart", edition.start_date)
    component.add("dtend", edition.end_date + dt.timedelta(days=1))
    component.add("summary", edition.display_name)
    place = ", ".join(part for part in (edition.city, edition.country) if part)
    if place:
        component.add("location", place)
    page = absolute(base_url, edition.get_absolute_url())
    component.add("url", edition.url or page)
    lines = [event.summary]
    fmt = edition.get_format_display() or event.get_format_display()
    if fmt:
        lines.append(f"Format: {fmt}")
    lines.append(f"More on ASR Hub: {page}")
    component.add("description", "\n".join(lines))
    component.add("transp", "TRANSPARENT")
    component.add("categories", ["Conference", event.get_kind_display()])
    return component


def deadline_component(deadline: Deadline, base_url: str) -> icalendar.Event:
    edition = deadline.edition
    page = absolute(base_url, edition.get_absolute_url())
    title = f"{edition.display_name}: {deadline.display_label} deadline"
    component = icalendar.Event()
    component.add("uid", deadline_uid(deadline))
    component.add("dtstamp", utc(deadline.updated_at))
    component.add("last-modified", utc(deadline.updated_at))
    component.add("dtstart", utc(deadline.due_at))
    component.add("sequence", deadline.sequence)
    component.add("summary", title)
    component.add("transp", "TRANSPARENT")
    component.add("url", page)
    component.add("description", f"Due {format_due(deadline)}.\nMore on ASR Hub: {page}")
    component.add("categories", ["Deadline"])
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -dt.timedelta(days=1))
    alarm.add("description", f"Tomorrow: {title}")
    component.add_component(alarm)
    return component


def build_calendar(
    name: str, editions: Iterable[Edition], deadlines: Iterable[Deadline], base_url: str
) -> bytes:
    """The calendar file, CRLF-terminated and folded by icalendar.

    ``base_url`` is the scheme and host the links point to (the requested one).
    """
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    # An X- property is written as text, so give the DURATION form Outlook expects.
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL).to_ical().decode())
    for edition in editions:
        if edition.is_dated:
            calendar.add_component(edition_component(edition, base_url))
    for deadline in deadlines:
        calendar.add_component(deadline_component(deadline, base_url))
    return calendar.to_ical()


def upcoming_items(
    events: QuerySet[Event], now: dt.datetime | None = None
) -> tuple[QuerySet[Edition], QuerySet[Deadline]]:
    """Dated editions that have not ended, and the deadlines still relevant.

    A deadline stays while it is due or while its edition has not ended, so a
    subscribed calendar keeps the deadlines of a conference until it is over
    rather than dropping each one the minute it passes.
    """
    now = now or timezone.now()
    today = now.date()
    event_ids = events.values("pk")
    editions = Edition.objects.upcoming(today).filter(event__in=event_ids).select_related("event")
    deadlines = (
        Deadline.objects.filter(edition__event__in=event_ids)
        .filter(Q(due_at__gte=now) | Q(edition__end_date__gte=today))
        .select_related("edition__event")
        .order_by("due_at", "pk")
    )
    return editions, deadlines


def site_items(
    events: QuerySet[Event], now: dt.datetime | None = None
) -> tuple[QuerySet[Edition], QuerySet[Deadline]]:
    """Every dated edition and deadline from the last 12 months, and everything ahead.

    A subscribed calendar that only held what is still to come would look empty for
    months between seasons; a year of history keeps what just happened in view.
    """
    now = now or timezone.now()
    since = now - CALENDAR_HISTORY
    event_ids = events.values("pk")
    editions = (
        Edition.objects.dated()
        .filter(event__in=event_ids, end_date__gte=since.date())
        .select_related("event")
        .order_by("start_date", "pk")
    )
    deadlines = (
        Deadline.objects.filter(edition__event__in=event_ids)
        .filter(Q(due_at__gte=since) | Q(edition__end_date__gte=since.date()))
        .select_related("edition__event")
        .order_by("due_at", "pk")
    )
    return editions, deadlines


def event_items(event: Event) -> tuple[QuerySet[Edition], QuerySet[Deadline]]:
    """Every dated edition of one event and every deadline."""
    editions = event.editions.dated().select_related("event").order_by("start_date")
    deadlines = (
        Deadline.objects.filter(edition__event=event)
        .select_related("edition__event")
        .order_by("due_at", "pk")
    )
    return editions, deadlines


def calendar_response(body: bytes, filename: str, *, private: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        # A member's calendar URL is a secret: keep it out of shared caches and indexes.
        response["Cache-Control"] = "private, max-age=900"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
    else:
        response["Cache-Control"] = "public, max-age=900"
    return response
