"""HTML built in Python: the pieces that a result page repeats many times.

Twenty resource cards with their bookmark and pack controls, and a facet panel's
checkboxes, render in well under a millisecond here, where the same templates took
several (see docs/performance.md). Everything else is a template. Every value goes
through Django's ``conditional_escape``; template-tag modules only register these
functions, and views that answer with a fragment (the bookmark toggle) import them
from here.

The per-request state the fragments need is loaded once per request: the member's
bookmarks and packs (two queries, none for visitors), one CSRF token for every form, and
the reversed URLs. The CSRF token can be swapped for :data:`CSRF_PLACEHOLDER` while a
visitor's results are rendered for the cache (see :mod:`catalogue.results_cache`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape as esc
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from catalogue.models import Event, Person, Resource

ALLOWED_TAGS = {
    "a", "p", "br", "strong", "em", "code", "pre", "ul", "ol", "li",
    "blockquote", "h3", "h4", "hr",
}  # fmt: skip


# "#INTERSPEECH" at the start of a line is a hashtag, not a heading: Python-Markdown
# reads a heading without the space after "#" that CommonMark requires.
HASHTAG_AT_LINE_START = re.compile(r"^#(?=[^\s#])", re.MULTILINE)


def markdown_html(text: str) -> SafeString:
    """Render curator- or member-written Markdown, sanitised with nh3."""
    text = HASHTAG_AT_LINE_START.sub(r"\\#", text or "")
    html = markdown_lib.markdown(text, extensions=["sane_lists"])
    clean = nh3.clean(html, tags=ALLOWED_TAGS, link_rel="nofollow noopener")
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


@lru_cache(maxsize=4096)
def esc_word(text: str) -> str:
    """Django's ``escape`` of a string from a small vocabulary (choice labels, category
    and topic names, organisations), once per process: it costs about 3 µs a call, and
    a facet panel makes hundreds (4x slower without this). Always escapes (a safe string
    and a plain one of the same text share an entry): never pass it HTML."""
    return escape(text)


@lru_cache(maxsize=4096)
def option_html(name: str, value: str, label: str) -> tuple[str, str]:
    """A facet option's checkbox before and after its ``checked`` attribute, up to its
    count; built (and escaped) once per process, as above."""
    name, value, label = escape(name), escape(value), escape(label)
    return (
        f'<div class="facet-option"><input type="checkbox" id="f-{name}-{value}"'
        f' name="{name}" value="{value}"',
        f'> <label for="f-{name}-{value}">{label} <span class="count">',
    )


# --- Per-request state ----------------------------------------------------------------


def csrf_placeholder() -> str:
    """What stands for the CSRF token in cached HTML, replaced by each visitor's token.

    No input can produce it: it holds NUL characters (never in a search, cut by
    ``search.normalise``) around a digest of the secret key (the same in every process
    that shares the cache, unknown outside).
    """
    return f"\x00csrf-{salted_hmac('asrhub.csrf-placeholder', 'v1').hexdigest()[:32]}\x00"


def csrf_token(request: HttpRequest) -> str:
    """One masked CSRF token per request, shared by every form on the page."""
    token = getattr(request, "_asrhub_csrf", None)
    if token is None:
        token = request._asrhub_csrf = get_token(request)
    return token


@contextmanager
def csrf_token_as(request: HttpRequest, value: str) -> Iterator[None]:
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


def member_state(request: HttpRequest | None) -> dict:
    """Bookmark keys and pack list of the member: two queries per request, none for visitors.

    Read through the member's relations (``bookmarks``, ``packs``): the catalogue stays
    below the accounts app, which builds on it."""
    if request is None:
        return {"bookmarks": set(), "packs": []}
    state = getattr(request, "_asrhub_member_state", None)
    if state is None:
        state = {"bookmarks": set(), "packs": []}
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            rows = user.bookmarks.values_list("resource_id", "person_id", "event_id")
            for resource_id, person_id, event_id in rows:
                if resource_id:
                    state["bookmarks"].add(("resource", resource_id))
                elif person_id:
                    state["bookmarks"].add(("person", person_id))
                else:
                    state["bookmarks"].add(("event", event_id))
            state["packs"] = list(user.packs.only("title", "slug").order_by("title"))
        request._asrhub_member_state = state
    return state


def followed_ids(request: HttpRequest | None) -> set[int]:
    """Ids of the resources the member follows: one query per request (shared with the
    detail page's follow toggle), none for visitors; read through ``user.follows``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return set()
    followed = getattr(request, "_asrhub_followed", None)
    if followed is None:
        followed = request._asrhub_followed = set(
            user.follows.values_list("resource_id", flat=True)
        )
    return followed


def entry_state(request: HttpRequest | None, obj: Resource | Person | Event) -> dict:
    """The entry's kind, whether the member bookmarked it, and the member's packs."""
    kind = obj._meta.model_name  # "resource", "person" or "event"
    state = member_state(request)
    return {
        "kind": kind,
        "bookmarked": (kind, obj.pk) in state["bookmarks"],
        "packs": state["packs"],
    }


def hidden_inputs(request: HttpRequest) -> str:
    """The CSRF token and ``next`` (this page) inputs of a control's form, escaped once
    per request (a page of cards has two or three forms each)."""
    token = csrf_token(request)
    cached = getattr(request, "_asrhub_hidden", None)
    if cached is None or cached[0] != token:
        html = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'
            f'<input type="hidden" name="next" value="{esc(request.get_full_path())}">'
        )
        cached = request._asrhub_hidden = (token, html)
    return cached[1]


def toggle_url(request: HttpRequest, kind: str, slug: str) -> str:
    """The bookmark toggle URL, reversed once per request and kind."""
    prefixes = getattr(request, "_asrhub_toggle", None)
    if prefixes is None:
        prefixes = request._asrhub_toggle = {}
    if kind not in prefixes:
        prefixes[kind] = reverse("accounts:bookmark_toggle", args=[kind, "SLUG"])
    return prefixes[kind].replace("SLUG", slug)


def follow_url(request: HttpRequest, slug: str) -> str:
    """The follow toggle URL, reversed once per request."""
    prefix = getattr(request, "_asrhub_follow", None)
    if prefix is None:
        prefix = request._asrhub_follow = reverse("following:toggle", args=["SLUG"])
    return prefix.replace("SLUG", slug)


def resource_url(request: HttpRequest, slug: str) -> str:
    """A resource's page (``Resource.get_absolute_url``), reversed once per request."""
    prefix = getattr(request, "_asrhub_resource_url", None)
    if prefix is None:
        prefix = request._asrhub_resource_url = reverse("catalogue:resource_detail", args=["SLUG"])
    return prefix.replace("SLUG", slug)


def pack_add_url(request: HttpRequest) -> str:
    """The add-to-pack URL, reversed once per request."""
    url = getattr(request, "_asrhub_pack_add", None)
    if url is None:
        url = request._asrhub_pack_add = reverse("accounts:pack_add")
    return url


# --- Fragments ------------------------------------------------------------------------


def bookmark_button(
    request: HttpRequest,
    obj: Resource | Person | Event,
    kind: str,
    bookmarked: bool,
    next_url: str | None = None,
) -> SafeString:
    """The bookmark toggle form (also the htmx response of the toggle view)."""
    action = esc(toggle_url(request, kind, obj.slug))
    return mark_safe(  # noqa: S308 - every value escaped
        f'<form method="post" action="{action}" class="bookmark-form" hx-post="{action}"'
        ' hx-swap="outerHTML">'
        + (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token(request))}">'
            f'<input type="hidden" name="next" value="{esc(next_url)}">'
            if next_url
            else hidden_inputs(request)
        )
        + '<button type="submit" class="secondary bookmark-button"'
        f' aria-pressed="{"true" if bookmarked else "false"}">'
        f"{'★ Bookmarked' if bookmarked else '☆ Bookmark'}"
        f'<span class="visually-hidden"> {esc(str(obj))}</span></button></form>'
    )


def follow_button(request: HttpRequest, resource: Resource, following: bool) -> SafeString:
    """The follow toggle of a resource with a feed; the same form as
    ``partials/follow_button.html`` (which the toggle view answers htmx with)."""
    action = esc(follow_url(request, resource.slug))
    return mark_safe(  # noqa: S308 - every value escaped
        f'<form method="post" action="{action}" class="follow-form" hx-post="{action}"'
        ' hx-swap="outerHTML">'
        f"{hidden_inputs(request)}"
        '<button type="submit" class="secondary"'
        f' aria-pressed="{"true" if following else "false"}">'
        f"{'✓ Following' if following else '+ Follow'}"
        f'<span class="visually-hidden"> {esc(resource.title)}</span></button></form>'
    )


def add_to_pack(request: HttpRequest, obj, state: dict, summary: str = "Add to pack…") -> str:
    """The add-to-pack disclosure (members only)."""
    control = esc(f"pack-{state['kind']}-{obj.pk}")
    options = "".join(
        f'<option value="{esc(p.slug)}">{esc(p.title)}</option>' for p in state["packs"]
    )
    return (
        f'<details class="add-to-pack"><summary>{summary}</summary>'
        f'<form method="post" action="{esc(pack_add_url(request))}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token(request))}">'
        f'<input type="hidden" name="kind" value="{esc(state["kind"])}">'
        f'<input type="hidden" name="slug" value="{esc(obj.slug)}">'
        f'<input type="hidden" name="next" value="{esc(request.get_full_path())}">'
        f'<label for="{control}">Pack</label> <select id="{control}" name="pack">{options}'
        '<option value="__new__">New pack…</option></select> '
        '<button type="submit" class="secondary">Add</button></form></details>'
    )


def entry_actions(request: HttpRequest, obj: Resource | Person | Event) -> SafeString:
    """Bookmark and add-to-pack controls for ``obj``."""
    state = entry_state(request, obj)
    parts = [bookmark_button(request, obj, state["kind"], state["bookmarked"])]
    if request.user.is_authenticated:
        parts.append(add_to_pack(request, obj, state))
    return mark_safe(f'<div class="entry-actions">{"".join(parts)}</div>')  # noqa: S308 - built above


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def popularity(resource: Resource) -> str:
    """ "3 followers · 5 bookmarks · in 2 packs" (the non-zero counts), or ""."""
    parts = []
    if resource.follower_count:
        parts.append(plural(resource.follower_count, "follower"))
    if resource.bookmark_count:
        parts.append(plural(resource.bookmark_count, "bookmark"))
    if resource.pack_count:
        parts.append(f"in {plural(resource.pack_count, 'pack')}")
    return " · ".join(parts)  # digits, commas and constant words: no escaping


def visit_url(resource: Resource) -> str:
    """``Resource.visit_url``, from the row's ``moved_to_address`` when the query gave it
    (no query for the moved entry's target)."""
    if resource.status == Resource.Status.MOVED and hasattr(resource, "moved_to_address"):
        return resource.moved_to_address or resource.moved_to_url or resource.url
    return resource.visit_url


# What ``get_kind_display()`` and the like give, without the dictionary Django builds
# from the choices at every call (three per card).
LABELS = {
    name: {value: str(label) for value, label in choices}
    for name, choices in (
        ("kind", Resource.Kind.choices),
        ("status", Resource.Status.choices),
        ("level", Resource.Level.choices),
    )
}


def organisation_title(resource: Resource) -> str:
    """The title of the resource's organisation: from the row when the query gave it
    (``organisation_title``, see ``sqlite_page.rows``), else from the organisation."""
    title = getattr(resource, "organisation_title", None)
    return resource.organisation.title if title is None else title


def resource_card(request: HttpRequest, resource: Resource) -> SafeString:
    """A resource's compact card in a result list: title link, kind badge, a non-active
    status, one line of summary (or the highlighted snippet), organisation and public
    counts, the outbound "Visit" link (a moved entry's new address) and small bookmark,
    follow (resources with a feed) and add-to-pack controls.

    The counts are columns of the row; a moved entry's new address comes with the row
    (``moved_to_address``, see ``results.ordered``): no query per card."""
    title = esc(resource.title)
    badges = [
        f'<span class="badge">{esc_word(LABELS["kind"].get(resource.kind, resource.kind))}</span>'
    ]
    if resource.status != "active":
        status = esc_word(LABELS["status"].get(resource.status, resource.status))
        badges.append(f'<span class="badge badge-warn">{status}</span>')
    meta = []
    if resource.organisation_id:
        meta.append(f"by {esc_word(organisation_title(resource))}")
    if resource.level:
        meta.append(esc_word(LABELS["level"].get(resource.level, resource.level)))
    counts = popularity(resource)
    if counts:
        meta.append(f'<span class="popularity">{counts}</span>')
    snippet = getattr(resource, "snippet_html", None)
    state = entry_state(request, resource)
    actions = [
        f'<a class="card-visit" href="{esc(visit_url(resource))}" rel="noopener">'
        f'Visit<span class="visually-hidden"> {title}</span> <span aria-hidden="true">↗</span></a>',
        bookmark_button(request, resource, state["kind"], state["bookmarked"]),
    ]
    if resource.feed_url:
        actions.append(follow_button(request, resource, resource.pk in followed_ids(request)))
    if request.user.is_authenticated:
        label = f'+ Pack<span class="visually-hidden">: add {title} to a pack</span>'
        actions.append(add_to_pack(request, resource, state, label))
    return mark_safe(  # noqa: S308 - every value escaped
        '<article class="card card-compact">\n'
        f'  <div class="card-head"><h3 class="card-title">'
        f'<a href="{esc(resource_url(request, resource.slug))}">{title}</a></h3>'
        f" {' '.join(badges)}</div>\n"
        f'  <p class="card-summary">{esc(snippet or resource.summary)}</p>\n'
        f'  <p class="card-meta">{" · ".join(meta)}</p>\n'
        f'  <div class="entry-actions">{"".join(actions)}</div>\n</article>'
    )


FACET_TOP = 6  # options shown before "show all"


def facet_options(facet: dict) -> SafeString:
    """A facet's checkboxes (see ``FacetMixin.make_facet`` for the dict): the first
    :data:`FACET_TOP` (the facet's own order: most used first), the rest behind a
    "Show all" disclosure, open when one of them is selected."""
    if not facet["options"]:
        return mark_safe('<p class="muted">No values here.</p>')  # noqa: S308 - constant
    name = facet["name"]
    rows = []
    for option in facet["options"]:
        before, after = option_html(name, option["value"], option["label"])
        checked = " checked" if option["selected"] else ""
        count = f"{int(option['count']):,}"  # digits and commas (as intcomma): no escaping
        rows.append(f"{before}{checked}{after}{count}</span></label></div>")
    if len(rows) <= FACET_TOP + 2:  # hiding one or two would save nothing
        return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above
    rest = facet["options"][FACET_TOP:]
    opened = " open" if any(option["selected"] for option in rest) else ""
    return mark_safe(  # noqa: S308 - every value escaped above
        "\n".join(rows[:FACET_TOP])
        + f'\n<details class="facet-more"{opened}><summary>Show all {len(rows)}'
        f'<span class="visually-hidden"> {esc_word(facet["label"]).lower()}</span></summary>\n'
        + "\n".join(rows[FACET_TOP:])
        + "\n</details>"
    )
