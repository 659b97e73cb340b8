"""What goes into a member's digest and reminders: the queries, in one place.

``digest_posts`` is the single place that decides which posts a member's digest may
carry; when the rebuilt feed reader lands, point it at ``FeedEntry.objects.for_member``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from catalogue.models import Deadline, Edition, Event, FeedEntry, Resource
from digests.models import Digest, MailSettings


def digest_posts(user, since: dt.datetime) -> QuerySet[FeedEntry]:
    """Posts from the published resources ``user`` follows, first seen after ``since``,
    that no earlier digest sent them. Grouped by source in the mail, so one row per feed
    (``FeedEntry``), not the river's one row per post."""
    posts = FeedEntry.objects.for_member(user).filter(
        resource__is_published=True, first_seen_at__gt=since
    )
    sent = sent_post_ids([user.pk]).get(user.pk)
    if sent:
        posts = posts.exclude(pk__in=sent)
    return posts.order_by(*POST_ORDER)


def sent_post_ids(user_ids: list[int]) -> dict[int, set[int]]:
    """Member id → the ids of every post an earlier digest sent them (``Digest.post_ids``:
    one row per digest, not one per post, which cost PostgreSQL an index entry in five
    indexes and three foreign-key checks per post at every commit)."""
    sent: dict[int, set[int]] = defaultdict(set)
    for user_id, post_ids in Digest.objects.filter(
        user_id__in=user_ids, post_count__gt=0
    ).values_list("user_id", "post_ids"):
        sent[user_id].update(post_ids)
    return sent


# The columns a digest shows of a post, in ``digest_posts``' order.
POST_COLUMNS = ("pk", "title", "link", "resource_id", "resource__title", "resource__slug")
POST_ORDER = ("resource__title", "resource_id", "-published_at", "-id")


class PostSnapshot:
    """``digest_posts`` for a whole batch of members, read before their transactions
    (three queries per batch instead of one per digest).

    The snapshot also records each member's ``last_digest_at`` and frequency as it saw
    them (which fix the member's window). A digest is sent only to a member whose row
    the worker has claimed; ``posts_for`` then gives the snapshot's rows only when the
    claimed row still has those values, i.e. no digest was committed for that member in
    between (every digest with posts moves ``last_digest_at``) and the window is the
    same, and ``None`` otherwise, so the caller asks ``digest_posts`` afresh. A post
    first seen after the snapshot waits for the next digest, as it would have if it had
    arrived a second later.
    """

    def __init__(self, user_ids: list[int], now: dt.datetime) -> None:
        # The windows first: a digest committed between the two reads then shows as a
        # changed window, never as rows older than the window they are checked against.
        self.windows = {
            pk: (last, frequency)
            for pk, last, frequency in MailSettings.objects.filter(pk__in=user_ids).values_list(
                "pk", "last_digest_at", "frequency"
            )
        }
        member = "resource__follows__user"
        prefs = f"{member}__mail_settings"
        since = Coalesce(
            F(f"{prefs}__last_digest_at"),
            Case(
                When(
                    **{f"{prefs}__frequency": MailSettings.Frequency.DAILY},
                    then=Value(now - dt.timedelta(days=1)),
                ),
                default=Value(now - dt.timedelta(days=7)),
            ),
        )
        rows = (
            FeedEntry.objects.filter(**{f"{member}__in": user_ids}, resource__is_published=True)
            # Annotations reuse the join through the member's follow (a filter() on
            # the same many-valued path would join it a second time).
            .annotate(member_id=F(member), since=since)
            .filter(first_seen_at__gt=F("since"))
            .order_by(*POST_ORDER)
            .values_list("member_id", *POST_COLUMNS)
        )
        rows = [(member_id, tuple(post)) for member_id, *post in rows]
        # What earlier digests sent, read apart (one index range per member).
        sent = sent_post_ids(user_ids)
        self.rows: dict[int, list[tuple]] = defaultdict(list)
        for member_id, post in rows:
            if post[0] not in sent.get(member_id, ()):
                self.rows[member_id].append(post)

    def posts_for(self, prefs: MailSettings) -> list[tuple] | None:
        window = self.windows.get(prefs.user_id)
        if window is None or window != (prefs.last_digest_at, prefs.frequency):
            return None
        return self.rows.get(prefs.user_id, [])


# How a member reaches an event: they bookmarked it, or they follow its organiser.
EVENT_LINKS = ("bookmark__user", "organiser__follows__user")


def member_events(user) -> QuerySet[Event]:
    """Published events the member bookmarked, or whose organiser they follow."""
    reach = Q()
    for link in EVENT_LINKS:
        reach |= Q(**{link: user})
    return Event.objects.published().filter(reach)


def members_event_ids(user_ids: list[int]) -> dict[int, set[int]]:
    """``member_events`` for many members at once: member id → event ids."""
    events: dict[int, set[int]] = defaultdict(set)
    for link in EVENT_LINKS:
        rows = Event.objects.published().filter(**{f"{link}__in": user_ids})
        for event_id, user_id in rows.values_list("pk", link):
            events[user_id].add(event_id)
    return events


def member_deadlines(user) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        edition__event__in=member_events(user).values("pk")
    ).select_related("edition__event")


class EventCalendar:
    """Upcoming deadlines and editions of the events of a batch of members, fetched
    once for the batch (4 queries) rather than twice per digest."""

    def __init__(self, user_ids: list[int], now: dt.datetime) -> None:
        window = dt.timedelta(days=settings.ASRHUB_DIGEST_DEADLINE_DAYS)
        self.events = members_event_ids(user_ids)
        event_ids = set().union(*self.events.values()) if self.events else set()
        self.deadlines: dict[int, list[Deadline]] = defaultdict(list)
        for deadline in (
            Deadline.objects.filter(
                edition__event_id__in=event_ids, due_at__gt=now, due_at__lte=now + window
            )
            .select_related("edition__event")
            .order_by("due_at", "pk")
        ):
            self.deadlines[deadline.edition.event_id].append(deadline)
        self.editions: dict[int, list[Edition]] = defaultdict(list)
        for edition in (
            Edition.objects.filter(
                event_id__in=event_ids,
                start_date__gte=now.date(),
                start_date__lte=(now + window).date(),
            )
            .select_related("event")
            .order_by("start_date", "pk")
        ):
            self.editions[edition.event_id].append(edition)

    def deadlines_for(self, user_id: int) -> list[Deadline]:
        found = [d for e in self.events.get(user_id, ()) for d in self.deadlines.get(e, ())]
        return sorted(found, key=lambda d: (d.due_at, d.pk))

    def editions_for(self, user_id: int) -> list[Edition]:
        found = [x for e in self.events.get(user_id, ()) for x in self.editions.get(e, ())]
        return sorted(found, key=lambda x: (x.start_date, x.pk))


def when_text(due_at: dt.datetime, is_aoe: bool) -> str:
    """ "Sun 1 Mar 2026, 23:59 AoE (Mon 2 Mar, 11:59 UTC)", or the UTC time alone."""
    utc = due_at.astimezone(dt.UTC)
    if is_aoe:
        aoe = due_at.astimezone(Deadline.AOE)
        return f"{aoe:%a %-d %b %Y, %H:%M} AoE ({utc:%a %-d %b, %H:%M} UTC)"
    return f"{utc:%a %-d %b %Y, %H:%M} UTC"


def annotate_when(deadlines: list[Deadline]) -> list[Deadline]:
    for deadline in deadlines:
        deadline.when = when_text(deadline.due_at, deadline.is_aoe)
    return deadlines


@dataclass(frozen=True, slots=True)
class Post:
    """A post as a digest shows it (plain values: building model instances for every
    post of 10,000 digests cost a measurable share of the send time)."""

    pk: int
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Source:
    """The resource a group of posts came from, as the digest shows it."""

    pk: int
    title: str
    url: str


@lru_cache(maxsize=4096)
def resource_url(slug: str) -> str:
    """A resource page's absolute URL (cached: the same sources recur in every digest
    of a batch, and ``reverse`` was a measurable share of building one)."""
    return settings.SITE_URL + Resource(slug=slug).get_absolute_url()


@dataclass
class SourceGroup:
    resource: Source
    posts: list[Post]
    more: int = 0
    more_url: str = ""


@dataclass
class DigestContent:
    groups: list[SourceGroup] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    editions: list[Edition] = field(default_factory=list)
    has_news: bool = False

    @property
    def posts(self) -> list[Post]:
        return [post for group in self.groups for post in group.posts]


def build_digest(
    prefs: MailSettings,
    now: dt.datetime,
    calendar: EventCalendar | None = None,
    snapshot: PostSnapshot | None = None,
) -> DigestContent:
    """The digest for ``prefs.user`` at ``now``: new posts grouped by source (at most
    N each), and upcoming deadlines and editions of their events. ``has_news`` is false
    when nothing is new since the last digest: then no mail goes out."""
    user = prefs.user
    since = prefs.last_digest_at or (now - prefs.period())
    content = DigestContent()
    if prefs.include_posts:
        per_source = settings.ASRHUB_DIGEST_POSTS_PER_SOURCE
        rows = snapshot.posts_for(prefs) if snapshot is not None else None
        if rows is None:
            rows = digest_posts(user, since).values_list(*POST_COLUMNS)
        for pk, title, link, resource_id, resource_title, slug in rows:
            group = content.groups[-1] if content.groups else None
            if group is None or group.resource.pk != resource_id:
                url = resource_url(slug)
                group = SourceGroup(Source(resource_id, resource_title, url), [], more_url=url)
                content.groups.append(group)
            if len(group.posts) < per_source:
                group.posts.append(Post(pk, title, link or group.more_url))
            else:
                group.more += 1
    if prefs.include_deadlines:
        window = dt.timedelta(days=settings.ASRHUB_DIGEST_DEADLINE_DAYS)
        calendar = calendar or EventCalendar([user.pk], now)
        content.deadlines = annotate_when(calendar.deadlines_for(user.pk))
        content.editions = calendar.editions_for(user.pk)
        # A deadline is news when it entered the window or changed since the last digest.
        fresh_deadline = any(
            d.due_at > since + window or d.updated_at > since for d in content.deadlines
        )
        fresh_edition = any(
            e.updated_at > since or e.start_date > (since + window).date() for e in content.editions
        )
    else:
        fresh_deadline = fresh_edition = False
    content.has_news = bool(content.groups) or fresh_deadline or fresh_edition
    return content


@dataclass
class ReminderItem:
    deadline: Deadline
    kind: str  # a ReminderSent.Kind value
    previous_due_at: dt.datetime | None = None

    @property
    def when(self) -> str:
        return when_text(self.deadline.due_at, self.deadline.is_aoe)

    @property
    def previous_when(self) -> str:
        if self.previous_due_at is None:
            return ""
        return when_text(self.previous_due_at, self.deadline.is_aoe)


def due_reminders(user, now: dt.datetime, sent: dict[int, list]) -> list[ReminderItem]:
    """Reminders due for ``user`` at ``now``. ``sent`` maps a deadline id to the
    ``(kind, due_at)`` pairs already sent for it, oldest first.

    A week reminder goes once when the deadline is 7 days away or less, a day reminder
    once when it is a day away or less. When a curator moves a deadline the member was
    already reminded of, they get one "moved" notice for the new date, and no second
    week or day reminder for the same deadline.
    """
    week, day = dt.timedelta(days=7), dt.timedelta(days=1)
    candidates = member_deadlines(user).filter(
        Q(due_at__gt=now, due_at__lte=now + week) | Q(pk__in=list(sent), due_at__gt=now)
    )
    items: list[ReminderItem] = []
    for deadline in candidates.order_by("due_at", "pk"):
        before = sent.get(deadline.pk, [])  # oldest first
        kinds = {kind for kind, _ in before}
        if before and deadline.due_at != before[-1][1]:
            already = {due for kind, due in before if kind == "moved"}
            if deadline.due_at not in already:
                items.append(ReminderItem(deadline, "moved", before[-1][1]))
            continue
        left = deadline.due_at - now
        if left <= day and "day" not in kinds:
            items.append(ReminderItem(deadline, "day"))
        elif day < left <= week and not kinds & {"week", "day"}:
            items.append(ReminderItem(deadline, "week"))
    return items
