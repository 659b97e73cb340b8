"""No console error and no Content Security Policy violation on any main page.

The policy forbids inline styles; htmx writes them unless it is configured not to (its
indicator stylesheet, and settling ``style`` attributes during swaps). Violations are
caught twice: from the console and from ``securitypolicyviolation`` events, which fire
even when Chromium words the console message differently.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    BookmarkFactory,
    CategoryFactory,
    EventFactory,
    FeedEntryFactory,
    FollowFactory,
    PackItemFactory,
    PersonFactory,
    ResourceFactory,
    StarterPackFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.sourceFile || "") + ":"
    + event.lineNumber + " " + (event.sample || ""));
});
"""


@pytest.fixture
def site():
    reading = CategoryFactory(slug="reading", name="Reading")
    whisper = TopicFactory(slug="whisper", name="Whisper")
    resource = ResourceFactory(
        title="openai/whisper",
        slug="openai-whisper",
        kind="repository",
        topics=[whisper],
        categories=[reading],
        audience_size=60000,
        audience_unit="stars",
    )
    for n in range(12):
        ResourceFactory(title=f"Whisper notes {n}", topics=[whisper], categories=[reading])
    PersonFactory(name="Ada Speech")
    EventFactory(name="Interspeech")
    member = UserFactory(username="alice")
    pack = StarterPackFactory(owner=member, title="Week one", slug="week-one")
    PackItemFactory(pack=pack, resource=resource)
    BookmarkFactory(user=member, resource=resource, note="Read the paper first.")
    follow = FollowFactory(user=member)
    FeedEntryFactory(resource=follow.resource)
    return {"resource": resource, "pack": pack}


def watch_violations(page) -> None:
    page.add_init_script(RECORD_VIOLATIONS)


def assert_clean(page, where: str) -> None:
    events = page.evaluate("window.__cspViolations")
    assert events == [], f"CSP violations on {where}: {events}"
    assert page.problems.csp_violations == [], where
    assert page.problems.console_errors == [], where


VISITOR_PAGES = [
    "/",
    "/resources/",
    "/resources/openai-whisper/",
    "/categories/reading/",
    "/people/",
    "/events/",
    "/packs/",
    "/packs/alice/week-one/",
]
MEMBER_PAGES = [
    "/me/bookmarks/",
    "/me/packs/",
    "/me/feed/",
    "/me/following/",
    "/accounts/settings/",
    "/packs/alice/week-one/",
]


def log_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("alice")


def visit_clean(page, paths: list[str]) -> None:
    """Each page answers 200 with a clean console and no CSP violation."""
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert_clean(page, path)


def test_main_pages_have_no_console_errors_or_csp_violations(page, site):
    watch_violations(page)
    visit_clean(page, VISITOR_PAGES)


def test_member_pages_have_no_console_errors_or_csp_violations(page, site):
    watch_violations(page)
    log_in(page)
    visit_clean(page, MEMBER_PAGES)


def test_search_updates_swap_without_inline_styles(page, site):
    watch_violations(page)
    page.goto("/resources/")
    box = page.get_by_role("searchbox", name="Search resources")
    box.press_sequentially("whisper notes", delay=20)
    expect(page).to_have_url(re.compile(r"q=whisper"))
    expect(page.locator(".result-count")).to_contain_text("12 resources")
    page.get_by_label(re.compile(r"^Whisper")).first.check()
    expect(page).to_have_url(re.compile(r"topic=whisper"))
    expect(page.locator(".result-count")).to_contain_text("12 resources")
    assert_clean(page, "a search update")
    # Nothing in the swapped content carries a style attribute, so settling has none to copy.
    assert page.locator("[style]").count() == 0
    # htmx is configured not to inject its indicator stylesheet.
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert "style" not in page.evaluate("htmx.config.attributesToSettle")
