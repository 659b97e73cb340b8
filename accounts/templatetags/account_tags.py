"""What the member has saved, loaded once per request for every card on a page."""

from __future__ import annotations

from contextlib import contextmanager

from django import template

from accounts.models import Bookmark, StarterPack
from accounts.targets import kind_of

register = template.Library()


def member_state(request) -> dict:
    """Bookmark keys and pack list of the member: two queries per request, none for visitors."""
    state = getattr(request, "_asrhub_member_state", None)
    if state is None:
        state = {"bookmarks": set(), "packs": []}
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            rows = Bookmark.objects.filter(user=user).values_list(
                "resource_id", "person_id", "event_id"
            )
            for resource_id, person_id, event_id in rows:
                if resource_id:
                    state["bookmarks"].add(("resource", resource_id))
                elif person_id:
                    state["bookmarks"].add(("person", person_id))
                else:
                    state["bookmarks"].add(("event", event_id))
            state["packs"] = list(
                StarterPack.objects.filter(owner=user).only("title", "slug").order_by("title")
            )
        request._asrhub_member_state = state
    return state


@register.simple_tag(takes_context=True)
def entry_state(context, obj) -> dict:
    request = context.get("request")
    kind = kind_of(obj)
    state = member_state(request) if request is not None else {"bookmarks": set(), "packs": []}
    return {
        "kind": kind,
        "bookmarked": (kind, obj.pk) in state["bookmarks"],
        "packs": state["packs"],
    }


@register.simple_tag
def packs_containing(resource) -> list:
    """Public packs that contain ``resource`` (one query)."""
    from accounts.views_packs import packs_containing as query

    return query(resource)


@register.simple_tag
def featured_packs(limit: int = 6) -> list:
    from django.db.models import Count

    return list(
        StarterPack.objects.featured()
        .select_related("owner")
        .annotate(n=Count("items"))
        .order_by("title")[:limit]
    )


@register.simple_tag(takes_context=True)
def is_following(context, resource) -> bool:
    """Whether the member follows ``resource``; one query per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    followed = getattr(request, "_asrhub_followed", None)
    if followed is None:
        from accounts.models import Follow

        followed = set(Follow.objects.filter(user=user).values_list("resource_id", flat=True))
        request._asrhub_followed = followed
    return resource.pk in followed


@register.simple_tag
def latest_entries(resource, limit: int = 5) -> list:
    from catalogue.models import FeedEntry

    return list(FeedEntry.objects.filter(resource=resource).newest()[:limit])


def csrf_token(request) -> str:
    """One masked CSRF token per request, shared by every form on the page."""
    from django.middleware.csrf import get_token

    token = getattr(request, "_asrhub_csrf", None)
    if token is None:
        token = request._asrhub_csrf = get_token(request)
    return token


@contextmanager
def csrf_token_as(request, value: str):
    """While it lasts, :func:`csrf_token` gives ``value`` (a cached page's placeholder,
    replaced by each visitor's own token when it is served)."""
    real = getattr(request, "_asrhub_csrf", None)
    request._asrhub_csrf = value
    try:
        yield
    finally:
        if real is None:
            del request._asrhub_csrf
        else:
            request._asrhub_csrf = real


def toggle_url(request, kind: str, slug: str) -> str:
    """The bookmark toggle URL, reversed once per request and kind."""
    from django.urls import reverse

    prefixes = getattr(request, "_asrhub_toggle", None)
    if prefixes is None:
        prefixes = request._asrhub_toggle = {}
    if kind not in prefixes:
        prefixes[kind] = reverse("accounts:bookmark_toggle", args=[kind, "SLUG"])
    return prefixes[kind].replace("SLUG", slug)


def bookmark_button(request, obj, kind: str, bookmarked: bool, next_url: str | None = None):
    """The bookmark toggle form (also the htmx response of the toggle view)."""
    from django.utils.safestring import mark_safe

    from catalogue.templatetags.catalogue_tags import esc

    action = esc(toggle_url(request, kind, obj.slug))
    return mark_safe(  # noqa: S308 - every value escaped
        f'<form method="post" action="{action}" class="bookmark-form" hx-post="{action}"'
        ' hx-swap="outerHTML">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token(request))}">'
        f'<input type="hidden" name="next" value="{esc(next_url or request.get_full_path())}">'
        '<button type="submit" class="secondary bookmark-button"'
        f' aria-pressed="{"true" if bookmarked else "false"}">'
        f"{'★ Bookmarked' if bookmarked else '☆ Bookmark'}"
        f'<span class="visually-hidden"> {esc(str(obj))}</span></button></form>'
    )


@register.simple_tag(takes_context=True)
def entry_actions(context, obj):
    """Bookmark and add-to-pack controls for ``obj``, built in Python: cards render fast."""
    from django.utils.safestring import mark_safe

    from catalogue.templatetags.catalogue_tags import esc

    request = context["request"]
    state = entry_state(context, obj)
    parts = [bookmark_button(request, obj, state["kind"], state["bookmarked"])]
    if request.user.is_authenticated:
        control = esc(f"pack-{state['kind']}-{obj.pk}")
        options = "".join(
            f'<option value="{esc(p.slug)}">{esc(p.title)}</option>' for p in state["packs"]
        )
        parts.append(
            '<details class="add-to-pack"><summary>Add to pack…</summary>'
            f'<form method="post" action="{esc(pack_add_url(request))}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token(request))}">'
            f'<input type="hidden" name="kind" value="{esc(state["kind"])}">'
            f'<input type="hidden" name="slug" value="{esc(obj.slug)}">'
            f'<input type="hidden" name="next" value="{esc(request.get_full_path())}">'
            f'<label for="{control}">Pack</label> <select id="{control}" name="pack">{options}'
            '<option value="__new__">New pack…</option></select> '
            '<button type="submit" class="secondary">Add</button></form></details>'
        )
    return mark_safe(f'<div class="entry-actions">{"".join(parts)}</div>')  # noqa: S308 - built above


def pack_add_url(request) -> str:
    """The add-to-pack URL, reversed once per request."""
    from django.urls import reverse

    url = getattr(request, "_asrhub_pack_add", None)
    if url is None:
        url = request._asrhub_pack_add = reverse("accounts:pack_add")
    return url
