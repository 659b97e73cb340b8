"""Sending digests and reminders so that several workers never send one twice.

Each member is handled in one transaction that (1) claims their ``MailSettings`` row
with ``SELECT … FOR UPDATE SKIP LOCKED`` and re-checks it is still due, (2) builds the
mail, (3) writes the send log (``Digest`` with its post ids / ``ReminderSent``) and the next
slot, and (4) hands the mail to SMTP last. A second worker skips the locked row and, once
the first commits, finds it no longer due. If the SMTP hand-off fails the transaction
rolls back and the member stays due. If a worker is killed between the hand-off and the
commit, the row is released unchanged: that one mail is sent again by the next round —
the only possible duplicate. The unique constraint on ``Digest`` (member, slot) backs this up.
On SQLite (local runs) ``FOR UPDATE`` does not exist; its write transactions
(``transaction_mode=IMMEDIATE``) are serialised instead.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Bookmark, Follow
from catalogue.models import Deadline
from digests.content import EventCalendar, PostSnapshot, build_digest, due_reminders
from digests.messages import member_mail, render_digest
from digests.models import Digest, MailSettings, ReminderSent

logger = logging.getLogger(__name__)

SENT, EMPTY, SKIPPED = "sent", "empty", "skipped"


def _claim(queryset, user_id: int) -> MailSettings | None:
    return (
        queryset.select_related("user")
        .select_for_update(skip_locked=True, of=("self",))
        .filter(pk=user_id)
        .first()
    )


def wants_digest_now(prefs: MailSettings, now: dt.datetime, *, force: bool = False) -> bool:
    """``MailSettings.objects.digest_due(now)`` (or ``wanting_digests()`` with ``force``)
    for one claimed row."""
    return (
        prefs.frequency != MailSettings.Frequency.OFF
        and prefs.user.is_active
        and prefs.is_verified
        and (force or (prefs.next_digest_at is not None and prefs.next_digest_at <= now))
    )


def deliver_digest(
    user_id: int,
    now: dt.datetime,
    *,
    force: bool = False,
    connection=None,
    calendar: EventCalendar | None = None,
    snapshot: PostSnapshot | None = None,
) -> str:
    """Send ``user_id``'s digest if it is due at ``now`` (or whenever, with ``force``)."""
    with transaction.atomic():
        # The row is claimed by primary key alone and re-checked here, on the locked
        # row, against ``wanting_digests``/``digest_due`` (the same conditions in
        # Python): compiling that query's joins for every digest was a measurable share
        # of a worker's CPU.
        prefs = _claim(MailSettings.objects.all(), user_id)
        if prefs is None or not wants_digest_now(prefs, now, force=force):
            return SKIPPED
        slot = now if force else prefs.next_digest_at
        content = build_digest(prefs, now, calendar, snapshot)
        prefs.next_digest_at = prefs.next_slot(now)
        if not content.has_news:
            prefs.save(update_fields=["next_digest_at"])
            return EMPTY
        prefs.last_digest_at = now
        prefs.save(update_fields=["next_digest_at", "last_digest_at"])
        posts = content.posts
        message = member_mail(
            prefs,
            kind="digest",
            subject=digest_subject(prefs, len(posts), len(content.deadlines)),
            template="digest",
            context={"content": content, "now": now, "prefs": prefs},
            render=render_digest,
        )
        Digest.objects.create(
            user_id=user_id,
            slot=slot,
            sent_at=now,
            to=prefs.user.email,
            message_id=message.extra_headers["Message-ID"],
            post_count=len(posts),
            deadline_count=len(content.deadlines),
            post_ids=[post.pk for post in posts],
        )
        message.connection = connection
        message.send()
    return SENT


def digest_subject(prefs: MailSettings, posts: int, deadlines: int) -> str:
    which = "Your daily" if prefs.frequency == MailSettings.Frequency.DAILY else "Your weekly"
    parts = []
    if posts:
        parts.append(f"{posts} new post{'s' if posts != 1 else ''}")
    if deadlines:
        parts.append(f"{deadlines} upcoming deadline{'s' if deadlines != 1 else ''}")
    return f"{which} ASR Hub digest: " + (", ".join(parts) or "what is coming up")


def deliver_reminders(user_id: int, now: dt.datetime, *, connection=None) -> str:
    """Send ``user_id`` one mail with every deadline reminder due at ``now``."""
    with transaction.atomic():
        prefs = _claim(MailSettings.objects.wanting_reminders(), user_id)
        if prefs is None:
            return SKIPPED
        sent: dict[int, list] = defaultdict(list)
        for deadline_id, kind, due_at in (
            ReminderSent.objects.filter(user_id=user_id, deadline__due_at__gt=now)
            .order_by("sent_at", "pk")
            .values_list("deadline_id", "kind", "due_at")
        ):
            sent[deadline_id].append((kind, due_at))
        items = due_reminders(prefs.user, now, sent)
        if not items:
            return EMPTY
        message = member_mail(
            prefs,
            kind="reminders",
            subject=reminder_subject(items),
            template="reminders",
            context={"items": items, "now": now},
        )
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(
                    user_id=user_id,
                    deadline=item.deadline,
                    kind=item.kind,
                    due_at=item.deadline.due_at,
                    sent_at=now,
                )
                for item in items
            ]
        )
        message.connection = connection
        message.send()
    return SENT


def reminder_subject(items) -> str:
    first = items[0]
    name = f"{first.deadline.edition} {first.deadline.display_label.lower()} deadline"
    if first.kind == "moved":
        text = f"Moved: {name}"
    elif first.kind == "day":
        text = f"Tomorrow: {name}"
    else:
        text = f"In a week: {name}"
    return text + (f" (and {len(items) - 1} more)" if len(items) > 1 else "")


def due_digest_user_ids(now: dt.datetime, *, force: bool = False) -> list[int]:
    members = MailSettings.objects.wanting_digests()
    if not force:
        members = members.filter(next_digest_at__lte=now)
    return list(members.order_by("next_digest_at", "pk").values_list("pk", flat=True))


def reminder_user_ids(now: dt.datetime) -> list[int]:
    """Members who may have a reminder due: a bookmarked or followed event has a
    deadline in the coming week, or a deadline they were reminded of is still ahead."""
    soon = Q(due_at__gt=now, due_at__lte=now + dt.timedelta(days=7))

    event_ids = Deadline.objects.filter(soon).values("edition__event_id")
    ids = set(Bookmark.objects.filter(event_id__in=event_ids).values_list("user_id", flat=True))
    ids |= set(
        Follow.objects.filter(resource__organised_events__in=event_ids).values_list(
            "user_id", flat=True
        )
    )
    ids |= set(
        ReminderSent.objects.filter(deadline__due_at__gt=now).values_list("user_id", flat=True)
    )
    wanting = MailSettings.objects.wanting_reminders().filter(pk__in=ids)
    return sorted(wanting.values_list("pk", flat=True))


def deliver_batch(
    user_ids: Iterable[int],
    *,
    now: dt.datetime | None = None,
    force: bool = False,
    reminders: bool = False,
) -> dict[str, int]:
    """Deliver digests (or reminders) to ``user_ids`` over one SMTP connection."""
    now = now or timezone.now()
    user_ids = list(user_ids)
    counts: dict[str, int] = defaultdict(int)
    calendar = None if reminders else EventCalendar(user_ids, now)
    snapshot = None if reminders else PostSnapshot(user_ids, now)
    with get_connection() as connection:
        for user_id in user_ids:
            if reminders:
                outcome = deliver_reminders(user_id, now, connection=connection)
            else:
                outcome = deliver_digest(
                    user_id,
                    now,
                    force=force,
                    connection=connection,
                    calendar=calendar,
                    snapshot=snapshot,
                )
            counts[outcome] += 1
    return dict(counts)
