"""Following resources and reading them: the personal feed, on the site and in readers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import viewable_pack
from accounts.forms import OpmlImportForm
from accounts.models import Follow, User
from accounts.opml import MAX_OPML, normalise_feed_url, opml_document, opml_feed_urls
from accounts.redirects import log_in_first, safe_next
from accounts.services import follow_all
from catalogue.models import Resource
from river.atom import add_post, atom_response
from river.models import Post, Rule, passing
from suggestions.services import suggest_feeds

FEED_PAGE = 30
ATOM_ENTRIES = 100


def member_by_token(token: str) -> User:
    user = User.objects.filter(feed_token=token, is_active=True).first() if token else None
    if user is None:
        raise Http404("No such feed.")
    return user


def followed_ids(user: User):
    return Follow.objects.filter(user=user).values("resource_id")


@require_POST
def follow_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.published().with_feed(), slug=slug)
    back = safe_next(request, resource.get_absolute_url())
    if not request.user.is_authenticated:
        return log_in_first(request, back)
    existing = Follow.objects.filter(user=request.user, resource=resource)
    if existing.exists():
        existing.delete()
        following = False
    else:
        try:
            with transaction.atomic():
                Follow.objects.create(user=request.user, resource=resource)
        except IntegrityError:
            pass
        following = True
    if request.htmx:
        return render(
            request,
            "partials/follow_button.html",
            {"resource": resource, "following": following, "next": back},
        )
    messages.success(request, f"{'Following' if following else 'Stopped following'} {resource}.")
    return HttpResponseRedirect(back)


@login_required
@require_POST
def follow_pack(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    """Follow every resource of a pack that has a feed, once."""
    pack = viewable_pack(request, username, slug)
    resources = Resource.objects.published().with_feed().filter(packitem__pack=pack).distinct()
    new = follow_all(request.user, resources)
    messages.success(
        request,
        f"Now following {len(new)} more resource{'s' if len(new) != 1 else ''} of “{pack}”.",
    )
    return redirect(pack.get_absolute_url())


@login_required
@require_safe
def following(request: HttpRequest) -> HttpResponse:
    follows = (
        Follow.objects.filter(user=request.user)
        .select_related("resource")
        .order_by("resource__title")
    )
    return render(
        request,
        "feeds/following.html",
        {"follows": follows, "import_form": OpmlImportForm(), **token_links(request)},
    )


def token_links(request: HttpRequest) -> dict:
    token = request.user.feed_token
    return {
        "atom_url": request.build_absolute_uri(reverse("following:atom", args=[token])),
        "opml_url": request.build_absolute_uri(reverse("following:opml", args=[token])),
        "calendar_url": request.build_absolute_uri(reverse("events:member_calendar", args=[token])),
    }


@login_required
@require_POST
def rotate_token(request: HttpRequest) -> HttpResponse:
    request.user.rotate_feed_token()
    messages.success(request, "New private links made; the old ones no longer work.")
    return redirect("following:following")


@require_safe
def atom_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's feed for readers: RFC 4287 Atom under a secret token.

    The river's posts from what the member follows (each post once, however many of
    their sources carry it), through their keep/block rules, as in /me/feed/ with
    ``show=all``; answers 304 to a matching conditional GET.
    """
    user = member_by_token(token)
    followed = list(Follow.objects.filter(user=user).values_list("resource_id", flat=True))
    rules = list(Rule.objects.filter(user=user))
    posts = list(
        passing(Post.objects.from_sources(followed), rules)
        .newest()
        .defer("search_vector")
        .prefetch_related(
            Prefetch(
                "sources",
                queryset=Resource.objects.filter(pk__any=followed)  # river.lookups
                .only("pk", "slug", "title")
                .order_by("title"),
                to_attr="followed_sources",
            )
        )[:ATOM_ENTRIES]
    )
    self_url = request.build_absolute_uri()
    feed = Atom1Feed(
        title=f"ASR Hub: {user}'s feed",
        link=request.build_absolute_uri(reverse("river:reader")),
        description="Latest posts from what you follow on ASR Hub.",
        feed_url=self_url,
        feed_guid=f"tag:asrhub,2026:feed:{user.pk}",
        language="en",
    )
    for post in posts:
        sources = [s.title for s in post.followed_sources]
        add_post(
            feed,
            request,
            post,
            title=f"{', '.join(sources)}: {post.title}" if sources else post.title,
            home=post.followed_sources[0].get_absolute_url() if post.followed_sources else "/",
            sources=sources,
        )
    # The body itself is the validator: it changes with the posts, the follows and the rules.
    return atom_response(
        request,
        feed,
        last_modified=max((p.first_seen_at for p in posts), default=None),
        headers={"X-Robots-Tag": "noindex", "Cache-Control": "private, max-age=300"},
    )


@require_safe
def opml_export(request: HttpRequest, token: str) -> HttpResponse:
    """OPML 2.0 of what the member follows, in outlines by category."""
    user = member_by_token(token)
    resources = (
        Resource.objects.filter(pk__in=followed_ids(user))
        .exclude(feed_url="")
        .prefetch_related("categories__parent")
        .order_by("title")
    )
    groups: dict[str, list[Resource]] = {}
    for resource in resources:
        categories = list(resource.categories.all())
        top = categories[0].parent or categories[0] if categories else None
        groups.setdefault(top.name if top else "Other", []).append(resource)
    body = opml_document(f"{user} on ASR Hub", str(user), dict(sorted(groups.items())))
    response = HttpResponse(body, content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="asr-hub-following.opml"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["POST"])
def opml_import(request: HttpRequest) -> HttpResponse:
    """Follow the catalogue resources whose feeds appear in an uploaded OPML file."""
    form = OpmlImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose an OPML file to import.")
        return redirect("following:following")
    upload = form.cleaned_data["file"]
    if upload.size > MAX_OPML:
        messages.error(request, "That file is larger than 1 MB; nothing was imported.")
        return redirect("following:following")
    try:
        urls = opml_feed_urls(upload.read(MAX_OPML + 1))
    except ValueError as error:
        messages.error(request, f"{error} Nothing was imported.")
        return redirect("following:following")
    catalogue = {
        normalise_feed_url(r.feed_url): r for r in Resource.objects.published().with_feed()
    }
    matched, unmatched = {}, []
    for url in urls:
        resource = catalogue.get(normalise_feed_url(url))
        if resource:
            matched[resource.pk] = resource
        else:
            unmatched.append(url)
    follow_all(request.user, matched.values())
    suggested = suggest_feeds(request.user, unmatched)  # feeds the catalogue lacks → curators
    return render(
        request,
        "feeds/import_result.html",
        {
            "matched": list(matched.values()),
            "unmatched": unmatched[:200],
            "total": len(urls),
            "suggested": suggested,
        },
    )
