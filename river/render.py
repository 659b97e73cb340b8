"""HTML for the river's repeated rows, built in Python.

A page shows 30 posts (each with two forms in the reader), a sidebar of up to hundreds of
followed sources, and facet lists. One template include per row costs about a
millisecond of Python each, and even ``format_html`` per value (lazy-aware escaping)
showed in profiles, so the rows are f-strings in which **every** value goes through
``esc`` (the standard library's ``html.escape``, which is what Django's ``escape``
calls), joined once and marked safe once. The only markup passed through unescaped is
the post's summary, sanitised with nh3 when it was stored (river.ingest).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as esc

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import localtime

from river.models import Post

SUMMARY_WORDS = 60
KIND_LABELS = dict(Post.Kind.choices)
UNREAD_BADGE = '<span class="badge">Unread</span> '
CHILD = ' class="facet-child"'


def _sources(post: Post) -> str:
    return ", ".join(
        f'<a href="?source={esc(s.slug)}">{esc(s.title)}</a>' for s in post.source_list
    )


def _paper(post: Post) -> str:
    if post.arxiv_id:
        authors = f" · {esc(post.authors)}" if post.authors else ""
        return (
            f'<p class="post-paper">arXiv:{esc(post.arxiv_id)} · '
            f'<a href="{esc(post.pdf_url)}" rel="noopener">PDF</a>{authors}</p>'
        )
    if post.authors:
        return f'<p class="post-authors">{esc(post.authors)}</p>'
    return ""


def _summary(post: Post) -> str:
    if not post.summary:
        return ""
    # Sanitised with nh3 at ingestion; cut as the truncatewords_html filter does.
    text = Truncator(post.summary).words(SUMMARY_WORDS, html=True, truncate=" …")
    return f'<div class="card-summary prose">{text}</div>'


def _topics(post: Post) -> str:
    items = "".join(
        f'<li><a href="?topic={esc(t.slug)}">{esc(t.name)}</a></li>' for t in post.topic_list
    )
    return f'<ul class="inline-list post-topics" aria-label="Topics">{items}</ul>' if items else ""


def _actions(post: Post, csrf: str, here: str) -> str:
    read = "unread" if post.is_read else "read"
    star = "unstar" if post.is_starred else "star"
    return (
        '<div class="post-actions">'
        f'<form method="post" action="{esc(reverse("river:mark_read", args=[post.pk]))}" '
        f'class="inline-form" data-river-read>{csrf}'
        f'<input type="hidden" name="next" value="{esc(here)}">'
        f'<input type="hidden" name="action" value="{read}">'
        f'<button type="submit">{"Mark unread" if post.is_read else "Mark read"}</button></form>'
        f'<form method="post" action="{esc(reverse("river:star", args=[post.pk]))}" '
        f'class="inline-form" data-river-star>{csrf}'
        f'<input type="hidden" name="next" value="{esc(here)}">'
        f'<input type="hidden" name="action" value="{star}">'
        f'<button type="submit" aria-pressed="{"true" if post.is_starred else "false"}">'
        f"{'★ Starred' if post.is_starred else '☆ Star'}</button></form>"
        "</div>"
    )


def post_row(post: Post, *, csrf_token: str | None = None, here: str = "") -> str:
    """One post as an ``<article>``; with a CSRF token (the reader) its two forms.

    The post comes from ``river.views.with_relations`` (``source_list``, ``topic_list``).
    """
    reader = csrf_token is not None
    unread = reader and not post.is_read
    pk = int(post.pk)
    published = localtime(post.published_at)  # the site's time zone is UTC
    title = (
        f'<a href="{esc(post.link)}" rel="noopener nofollow" data-river-open>{esc(post.title)}</a>'
        if post.link
        else esc(post.title)
    )
    version = f' <span class="badge">{esc(post.version)}</span>' if post.version else ""
    actions = ""
    if reader:
        csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'
        actions = _actions(post, csrf, here)
    return (
        f'<article class="card post{" is-unread" if unread else ""}" id="post-{pk}" '
        f'data-river-post tabindex="-1" aria-labelledby="post-{pk}-title">'
        f'<h2 class="card-title" id="post-{pk}-title">'
        f"{UNREAD_BADGE if unread else ''}{title}</h2>"
        f'<p class="card-meta"><span class="post-kind">'
        f"{esc(KIND_LABELS.get(post.kind, post.kind))}</span>{version} · "
        f'<span class="post-sources">{_sources(post)}</span> · '
        f'<time datetime="{published.isoformat()}">'
        f"{published.day} {MONTHS_3[published.month].title()} {published:%Y, %H:%M} UTC"
        "</time></p>"
        f"{_paper(post)}{_summary(post)}{_topics(post)}{actions}</article>"
    )


def post_rows(
    posts: Iterable[Post], *, csrf_token: str | None = None, here: str = ""
) -> SafeString:
    html = "".join(post_row(p, csrf_token=csrf_token, here=here) for p in posts)
    return mark_safe(html)  # noqa: S308 - every value above is escaped


def source_rows(rows: Iterable[tuple[str, str, str | int]]) -> SafeString:
    """The reader's sidebar: a link per followed source with its unread count."""
    html = "".join(
        f'<li><a href="?show=unread&amp;source={esc(slug)}">{esc(title)}</a>'
        + (
            f' <span class="count">{esc(str(count))}'
            '<span class="visually-hidden"> unread</span></span>'
            if count
            else ""
        )
        + "</li>"
        for slug, title, count in rows
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped


def facet_options(
    name: str,
    options: Iterable[tuple[str, str]],
    selected: set[str],
    counts: dict[str, int] | None,
    child: set[str] = frozenset(),
) -> SafeString:
    """Checkbox labels for one facet, each with its count when counts are given."""
    html = "".join(
        f"<label{CHILD if value in child else ''}>"
        f'<input type="checkbox" name="{esc(name)}" value="{esc(value)}"'
        f"{' checked' if value in selected else ''}> {esc(label)}"
        + (f' <span class="count">{int(counts.get(value, 0))}</span>' if counts is not None else "")
        + "</label>"
        for value, label in options
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped
