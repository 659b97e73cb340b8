"""Template helpers for the bookmarks page's notes and tags (kept out of its search view)."""

from __future__ import annotations

from django import template
from django.db.models import Count, prefetch_related_objects

from accounts.models import BookmarkTag

register = template.Library()


@register.simple_tag
def prefetch_bookmark_tags(resources, others) -> str:
    """Load the tags of every bookmark on the page in one query (none per card)."""
    bookmarks = [r.bookmark for r in resources if getattr(r, "bookmark", None)]
    bookmarks += list(others or [])
    prefetch_related_objects(bookmarks, "tags")
    return ""


@register.simple_tag(takes_context=True)
def member_bookmark_tags(context) -> list[BookmarkTag]:
    """The member's tags with how many bookmarks carry each."""
    user = context["request"].user
    return list(
        BookmarkTag.objects.filter(user=user).annotate(n=Count("bookmarks")).order_by("name")
    )
