"""Link health: HEAD, falling back to GET; bot walls, 429 and timeouts are "unknown"."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from catalogue.fetching.client import FetchError, fetch
from catalogue.models import Resource

UNKNOWN_STATUSES = {401, 403, 405, 406, 429, 451, 503}
UNKNOWN_ERRORS = {"timeout", "tls", "blocked"}


def check_link(resource: Resource, *, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    updates: dict = {"link_checked_at": now}
    try:
        response = fetch(resource.url, method="HEAD", total_timeout=20)
        if response.status in {400, 403, 404, 405, 501}:
            # Many servers answer HEAD badly: ask again with a small GET.
            # Only the status matters: the body is never read.
            response = fetch(resource.url, method="GET", read_body=False, total_timeout=20)
    except FetchError as error:
        health = (
            Resource.LinkHealth.UNKNOWN
            if error.kind in UNKNOWN_ERRORS
            else Resource.LinkHealth.DEAD
        )
        status, final = None, ""
    else:
        status, final = response.status, response.url
        if response.status < 400:
            health = Resource.LinkHealth.OK
        elif response.status in UNKNOWN_STATUSES:
            health = Resource.LinkHealth.UNKNOWN
        else:
            health = Resource.LinkHealth.DEAD
    updates.update(link_health=health, link_status=status, link_final_url=final[:1000])
    if health == Resource.LinkHealth.OK:
        updates.update(link_ok_at=now, link_failures=0)
    elif health == Resource.LinkHealth.DEAD:
        updates["link_failures"] = min(resource.link_failures + 1, 32767)
    Resource.objects.filter(pk=resource.pk).update(**updates)
    for name, value in updates.items():
        setattr(resource, name, value)
    return health
