"""Events, their editions and deadlines, and the calendars to subscribe to."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.models import Bookmark, User
from catalogue import calendars
from catalogue.event_filters import EventFilter
from catalogue.models import Deadline, Edition, Event
from catalogue.results import render_search

PAST_LIMIT = 30


def months_until(event: Event, today: dt.date) -> int:
    """How many months from now until the event's usual month (unknown last)."""
    if not event.usual_month:
        return 99
    return (event.usual_month - today.month) % 12


def filter_querystring(filterset: EventFilter) -> str:
    """The valid part of the current filter as a query string (for the calendar link)."""
    pairs = (
        [("q", filterset.form.cleaned_data["q"])] if filterset.form.cleaned_data.get("q") else []
    )
    pairs += [(name, value) for name in filterset.FACETS for value in filterset.selected(name)]
    return urlencode(pairs)


def expected_events(events: QuerySet[Event], now: dt.datetime) -> list[Event]:
    """Events with no dated upcoming edition, by how soon their usual month comes.

    Each gets ``next_deadline``: a deadline may be announced before the dates are.
    """
    today = now.date()
    upcoming = Edition.objects.upcoming(today).filter(event=OuterRef("pk"))
    expected = list(events.filter(~Exists(upcoming)).select_related("organiser"))
    deadlines: dict[int, Deadline] = {}
    for deadline in (
        Deadline.objects.upcoming(now)
        .filter(edition__event__in=[event.pk for event in expected])
        .select_related("edition__event")
    ):
        deadlines.setdefault(deadline.edition.event_id, deadline)
    for event in expected:
        event.next_deadline = deadlines.get(event.pk)
    expected.sort(key=lambda event: (months_until(event, today), event.name.lower()))
    return expected


@require_safe
@vary_on_headers("HX-Request")
def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = now.date()
    filterset = EventFilter(request.GET, today=today)
    events = filterset.qs
    event_ids = events.values("pk")
    upcoming = (
        Edition.objects.upcoming(today)
        .filter(event__in=event_ids)
        .select_related("event")
        .prefetch_related(
            Prefetch("deadlines", Deadline.objects.upcoming(now), to_attr="next_deadlines")
        )
        .order_by("start_date", "event__name")
    )
    past = (
        Edition.objects.past(today)
        .filter(event__in=event_ids)
        .select_related("event")
        .order_by("-start_date", "event__name")[:PAST_LIMIT]
    )
    querystring = filter_querystring(filterset)
    calendar_path = reverse("events:calendar") + (f"?{querystring}" if querystring else "")
    calendar_url = request.build_absolute_uri(calendar_path)
    context = {
        "filter": filterset,
        "facets": filterset.facets(),
        "problems": filterset.error_messages(),
        "is_filtered": bool(querystring),
        "upcoming": list(upcoming),
        "expected": expected_events(events, now),
        "past": list(past),
        "now": now,
        "calendar_path": calendar_path,
        "webcal_url": "webcal://" + calendar_url.split("://", 1)[1],
    }
    return render_search(request, "catalogue/event_list.html", context)


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published().for_page(), slug=slug)
    channels = []
    if event.organiser_id and event.organiser.is_published:
        channels = list(
            event.organiser.channels.published()
            .exclude(pk__in=[resource.pk for resource in event.related_resources.all()])
            .order_by("title")
        )
    now = timezone.now()
    editions = list(event.editions.all())
    context = {
        "event": event,
        "editions": editions,
        "has_upcoming": any(
            edition.is_dated and edition.end_date >= now.date() for edition in editions
        ),
        "channels": channels,
        "now": now,
    }
    return render(request, "catalogue/event_detail.html", context)


def base_url(request: HttpRequest) -> str:
    """The requested scheme and host: calendar links point where the file came from."""
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """Editions and deadlines of the last 12 months and ahead, narrowed by the /events/ filters."""
    filterset = EventFilter(request.GET, today=timezone.now().date())
    editions, deadlines = calendars.site_items(filterset.qs)
    name = "ASR Hub: conferences and deadlines"
    body = calendars.build_calendar(name, editions, deadlines, base_url(request))
    return calendars.calendar_response(body, "asr-hub-events.ics")


@require_safe
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    editions, deadlines = calendars.event_items(event)
    body = calendars.build_calendar(
        f"{event.name} (ASR Hub)", editions, deadlines, base_url(request)
    )
    return calendars.calendar_response(body, f"{event.slug}.ics")


@require_safe
def member_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The editions and deadlines of the events a member bookmarked; the token is the key."""
    user = User.objects.filter(feed_token=token, is_active=True).first() if token else None
    if user is None:
        raise Http404("No such calendar.")
    bookmarked = Bookmark.objects.filter(user=user, event__isnull=False).values("event_id")
    events = Event.objects.published().filter(pk__in=bookmarked)
    editions, deadlines = calendars.upcoming_items(events)
    body = calendars.build_calendar(
        "ASR Hub: my conferences", editions, deadlines, base_url(request)
    )
    return calendars.calendar_response(body, "my-asr-hub-events.ics", private=True)
