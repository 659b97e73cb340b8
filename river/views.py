"""The river's pages: /latest/ for everyone, its Atom feed, and the member's reader."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from catalogue.models import Category, Resource, Topic
from river.atom import add_post, atom_response
from river.facets import FacetCounts, facet_counts, top_sources
from river.forms import MarkAllReadForm, RiverFilterForm, RuleForm, ShowForm, ToggleForm
from river.models import UNREAD_CAP, Post, Reader, Rule, passing
from river.render import facet_options, post_rows, source_rows

PAGE_SIZE = 30
ATOM_ENTRIES = 50
FETCH_EVERY_MINUTES = 15


def with_relations(queryset: QuerySet) -> QuerySet:
    """A page's posts with their published sources and topics (as plain lists,
    ``source_list`` and ``topic_list``): three queries in all."""
    return queryset.defer("search_vector").prefetch_related(
        Prefetch(
            "sources",
            queryset=Resource.objects.published().only("pk", "slug", "title").order_by("title"),
            to_attr="source_list",
        ),
        Prefetch(
            "topics",
            queryset=Topic.objects.only("pk", "slug", "name").order_by("name"),
            to_attr="topic_list",
        ),
    )


def page_of(queryset: QuerySet, number: int) -> tuple[list[Post], bool]:
    """One page without counting the whole river: fetch one row more to know of a next."""
    start = (number - 1) * PAGE_SIZE
    rows = list(with_relations(queryset[start : start + PAGE_SIZE + 1]))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def querystring(filters: dict, **extra) -> str:
    pairs = [("q", filters["q"])] if filters["q"] else []
    pairs += [("kind", k) for k in filters["kind"]]
    for name in ("topic", "category", "source"):
        pairs += [(name, item.slug) for item in filters[name]]
    pairs += [(k, v) for k, v in extra.items() if v]
    return urlencode(pairs)


def category_tree() -> list[tuple[Category, list[Category]]]:
    """Top-level categories with their children, from one query."""
    rows = list(Category.objects.only("pk", "name", "slug", "parent").order_by("position", "name"))
    return [(top, [c for c in rows if c.parent_id == top.pk]) for top in rows if not top.parent_id]


def facet_context(
    form: RiverFilterForm,
    filters: dict,
    rows: list[Post],
    counts: FacetCounts | None = None,
    tree: list[tuple[Category, list[Category]]] | None = None,
) -> dict:
    """Links to narrow or widen, rendered in Python (see river.render): kinds, topics and
    categories in full, selected values first; sources: the selected ones, then (with
    counts) the busiest in the counted window or (without) those on this page."""
    selected = {
        "kind": set(filters["kind"]),
        "topic": {t.slug for t in filters["topic"]},
        "category": {c.slug for c in filters["category"]},
        "source": {s.slug for s in filters["source"]},
    }
    topics = list(Topic.objects.only("pk", "name", "slug").order_by("name"))
    topics.sort(key=lambda t: t.slug not in selected["topic"])
    tree = category_tree() if tree is None else tree
    if counts is not None:
        sources = top_sources(counts.source, filters["source"])
    else:
        seen = {s.pk: s for post in rows for s in post.source_list}
        seen.update((s.pk, s) for s in filters["source"])
        sources = sorted(seen.values(), key=lambda r: r.title.lower())

    def by_slug(items, facet_counts):
        return None if counts is None else {i.slug: facet_counts.get(i.pk, 0) for i in items}

    flat = [c for top, children in tree for c in (top, *children)]
    return {
        "filters": filters,
        "errors": form.errors,
        "counts": counts,
        "kind_options": facet_options(
            "kind", Post.Kind.choices, selected["kind"], counts and counts.kind
        ),
        "topic_options": facet_options(
            "topic",
            [(t.slug, t.name) for t in topics],
            selected["topic"],
            by_slug(topics, counts and counts.topic),
        ),
        "category_options": facet_options(
            "category",
            [(c.slug, c.name) for c in flat],
            selected["category"],
            by_slug(flat, counts and counts.category),
            child={c.slug for c in flat if c.parent_id},
        ),
        "source_options": facet_options(
            "source",
            [(s.slug, s.title) for s in sources],
            selected["source"],
            by_slug(sources, counts and counts.source),
        ),
        "base_query": querystring(filters),
    }


@require_safe
def latest(request: HttpRequest) -> HttpResponse:
    """Every post of every published feed, once, newest first; filters and search."""
    form = RiverFilterForm(request.GET)
    filters = form.filters()
    posts = Post.objects.public().matching(filters).newest(filters)
    rows, has_next = page_of(posts, filters["page"])
    tree = category_tree()
    parents = {c.pk: c.parent_id for top, children in tree for c in (top, *children)}
    context = {
        "posts": rows,
        "page": filters["page"],
        "has_next": has_next,
        "post_rows": post_rows(rows),
        "atom_url": reverse("river:latest_atom") + ("?" + querystring(filters)).rstrip("?"),
        **facet_context(form, filters, rows, facet_counts(filters, parents), tree),
    }
    return render(request, "river/latest.html", context)


@require_safe
def latest_atom(request: HttpRequest) -> HttpResponse:
    """/latest/ as RFC 4287 Atom, same filters; answers 304 to a matching conditional GET."""
    form = RiverFilterForm(request.GET)
    filters = form.filters()
    matching = Post.objects.public().matching(filters).newest(filters)
    posts = list(with_relations(matching[:ATOM_ENTRIES]))
    fingerprint = "|".join(f"{p.pk}:{p.published_at.timestamp()}:{p.title}" for p in posts)
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    last_modified = max((p.first_seen_at for p in posts), default=None)
    self_url = request.build_absolute_uri()
    feed = Atom1Feed(
        title="ASR Hub: latest" + (f" — {filters['q']}" if filters["q"] else ""),
        link=request.build_absolute_uri(reverse("river:latest"))
        + ("?" + querystring(filters)).rstrip("?"),
        description="New posts from the speech-recognition community, as curated on ASR Hub.",
        feed_url=self_url,
        feed_guid="tag:asrhub,2026:latest:" + querystring(filters),
        language="en",
    )
    for post in posts:
        add_post(
            feed,
            request,
            post,
            title=post.title,
            home=reverse("river:latest"),
            sources=[s.title for s in post.source_list],
            categories=[t.name for t in post.topic_list],
        )
    return atom_response(
        request,
        feed,
        last_modified=last_modified,
        etag=etag,
        headers={"Cache-Control": "public, max-age=300"},
    )


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    # A path on this site only (never a view name for redirect() to reverse).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@dataclass(slots=True)
class Followed:
    """A followed source as the reader shows it (``unread`` filled in by the view)."""

    pk: int
    slug: str
    title: str
    feed_checked_at: dt.datetime | None
    feed_error_count: int
    unread: int = 0


@login_required
@require_safe
def reader(request: HttpRequest) -> HttpResponse:
    """The member's reader: unread (default), starred or all posts from what they follow."""
    user = request.user
    form = RiverFilterForm(request.GET)
    filters = form.filters()
    show = ShowForm(request.GET).chosen()
    me = Reader.of(user)
    rules = list(Rule.objects.filter(user=user).select_related("resource"))
    # Plain rows, not model instances: a member may follow hundreds of sources.
    follows = [
        Followed(*row)
        for row in Resource.objects.filter(follows__user=user)
        .order_by("title")
        .values_list("pk", "slug", "title", "feed_checked_at", "feed_error_count")
    ]
    # Post.objects.for_member(user), with the follows already in hand (one query fewer).
    followed = [r.pk for r in follows]
    posts = passing(Post.objects.from_sources(followed).matching(filters), rules)
    if show == "unread":
        posts = posts.unread_by(me)
    elif show == "starred":
        posts = posts.starred_by(user)
    rows, has_next = page_of(posts.newest(filters), filters["page"])
    for post in rows:
        post.is_read = me.is_read(post)
        post.is_starred = me.is_starred(post)
    counts = me.unread_counts(followed, rules)
    for resource in follows:
        resource.unread = counts.get(resource.pk, 0)
    here = request.get_full_path()
    context = {
        "posts": rows,
        "page": filters["page"],
        "has_next": has_next,
        "show": show,
        "follows": follows,
        "post_rows": post_rows(rows, csrf_token=get_token(request), here=here),
        "source_rows": source_rows(
            (r.slug, r.title, f"{r.unread}+" if r.unread >= UNREAD_CAP else r.unread or "")
            for r in follows
        ),
        "here": here,
        "unread_total": sum(counts.values()),
        "unread_cap": UNREAD_CAP,
        "rules": rules,
        "up_to": Post.objects.aggregate(newest=Max("pk"))["newest"] or 0,
        "show_query": querystring(filters, show=show),
        **facet_context(form, filters, rows),
        **empty_state(user, follows, rows, filters),
    }
    return render(request, "river/reader.html", context)


def empty_state(user, follows: list[Followed], rows: list[Post], filters: dict) -> dict:
    """What to say when there is nothing to show (never a raw fetch error)."""
    if rows or not follows:
        return {}
    filtered = any(filters[k] for k in ("q", "kind", "topic", "category", "source"))
    checked = [r.feed_checked_at for r in follows if r.feed_checked_at]
    return {
        "filtered": filtered,
        "has_posts": Post.objects.from_sources([r.pk for r in follows]).exists(),
        "last_fetched": max(checked) if checked else None,
        "troubled": [r for r in follows if r.feed_error_count],
        "fetch_every": FETCH_EVERY_MINUTES,
    }


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark everything read, up to the newest post the member had on screen if given."""
    form = MarkAllReadForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Bad request: up_to must be a post number.", status=400)
    Reader.of(request.user).mark_all_read(form.cleaned_data["up_to"])
    messages.success(request, "Marked all read.")
    return HttpResponseRedirect(safe_next(request, reverse("river:reader")))


def toggle(request: HttpRequest, pk: int, allowed: set[str]) -> HttpResponse:
    form = ToggleForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in allowed:
        return HttpResponse("Bad request: unknown action.", status=400)
    post = get_object_or_404(Post.objects.public(), pk=pk)
    Reader.of(request.user).set_state(post, form.cleaned_data["action"])
    return HttpResponseRedirect(safe_next(request, reverse("river:reader")) + f"#post-{post.pk}")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    return toggle(request, pk, {"read", "unread"})


@login_required
@require_POST
def star(request: HttpRequest, pk: int) -> HttpResponse:
    return toggle(request, pk, {"star", "unstar"})


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """The member's keep/block rules: list and add."""
    if request.method not in {"GET", "HEAD", "POST"}:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    form = RuleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.user = request.user
        rule.save()
        messages.success(request, "Rule added.")
        return redirect("river:rules")
    context = {
        "form": form,
        "rules": Rule.objects.filter(user=request.user).select_related("resource"),
    }
    return render(request, "river/rules.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = Rule.objects.filter(user=request.user, pk=pk).first()
    if rule is None:
        raise Http404("No such rule.")
    rule.delete()
    messages.success(request, "Rule removed.")
    return redirect("river:rules")
