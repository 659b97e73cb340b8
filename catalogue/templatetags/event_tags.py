"""Template helpers for events and deadlines."""

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def is_future(value: dt.datetime | None) -> bool:
    """Whether an instant is still ahead (so partials need no ``now`` in context)."""
    return bool(value) and value > timezone.now()
