"""Admin actions for feeds and links: fetch now, check links, discover feeds."""

from django.contrib import admin, messages

from catalogue.fetching.discovery import discover
from catalogue.fetching.feeds import fetch_feed
from catalogue.fetching.links import check_link
from catalogue.fetching.runner import run_all

MAX_AT_ONCE = 50


def _limited(modeladmin, request, queryset):
    items = list(queryset[: MAX_AT_ONCE + 1])
    if len(items) > MAX_AT_ONCE:
        modeladmin.message_user(
            request, f"Select at most {MAX_AT_ONCE} resources at once.", messages.ERROR
        )
        return None
    return items


@admin.action(description="Fetch the feed now", permissions=["change"])
def fetch_now(modeladmin, request, queryset):
    resources = _limited(modeladmin, request, queryset.exclude(feed_url=""))
    if resources is None:
        return
    outcomes = run_all(resources, fetch_feed, lambda r: r.feed_url)
    for resource, outcome in zip(resources, outcomes, strict=True):
        level = messages.ERROR if outcome.status == "error" else messages.SUCCESS
        detail = outcome.message or f"{outcome.status}, {outcome.new_entries} new entries"
        modeladmin.message_user(request, f"{resource}: {detail}", level)
    if not resources:
        modeladmin.message_user(request, "None of these has a feed URL.", messages.WARNING)


@admin.action(description="Check the links now", permissions=["change"])
def check_links_now(modeladmin, request, queryset):
    resources = _limited(modeladmin, request, queryset)
    if resources is None:
        return
    results = run_all(resources, check_link, lambda r: r.url)
    for resource, health in zip(resources, results, strict=True):
        modeladmin.message_user(request, f"{resource}: {health}")


@admin.action(description="Discover feeds (proposals only)", permissions=["change"])
def discover_feeds(modeladmin, request, queryset):
    resources = _limited(modeladmin, request, queryset.filter(feed_url=""))
    if resources is None:
        return
    proposals = run_all(resources, lambda r: discover(r.url), lambda r: r.url)
    for resource, found in zip(resources, proposals, strict=True):
        if found:
            text = f"{resource}: proposed {', '.join(found)}; paste it into Feed URL to confirm."
            modeladmin.message_user(request, text, messages.INFO)
        else:
            modeladmin.message_user(request, f"{resource}: no feed found.", messages.WARNING)


FEED_ACTIONS = [fetch_now, check_links_now, discover_feeds]
