"""Following in a real browser: the htmx toggle, the personal feed, private links."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import Follow, User
from catalogue.models import FeedEntry
from tests.factories import FeedEntryFactory, PostFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def blogs():
    now = dt.datetime.now(dt.UTC)
    speech = ResourceFactory(title="Speech Blog", feed_url="https://speech.example/feed.xml")
    other = ResourceFactory(title="Other Podcast", feed_url="https://pod.example/feed.xml")
    for n in range(3):
        FeedEntryFactory(
            resource=speech, title=f"Speech post {n}", published_at=now - dt.timedelta(hours=n)
        )
    FeedEntryFactory(resource=other, title="Podcast episode", published_at=now)
    for entry in FeedEntry.objects.all():  # the river's copy, as the fetcher makes it
        PostFactory(title=entry.title, published_at=entry.published_at, sources=[entry.resource])
    return speech, other


def log_in(page, username: str) -> None:
    UserFactory(username=username)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_follow_with_htmx_then_read_the_feed(page, blogs):
    speech, other = blogs
    log_in(page, "fay")
    page.goto(speech.get_absolute_url())
    expect(page.get_by_role("heading", name="Latest posts")).to_be_visible()
    button = page.get_by_role("button", name="+ Follow Speech Blog")
    url_before = page.url
    button.click()
    following = page.get_by_role("button", name="✓ Following Speech Blog")
    expect(following).to_have_attribute("aria-pressed", "true")
    assert page.url == url_before  # swapped in place, no navigation
    assert Follow.objects.filter(user__username="fay", resource=speech).exists()

    page.goto("/me/feed/")
    posts = page.locator("[data-river-post]")
    expect(posts).to_have_count(3)
    expect(posts.first).to_contain_text("Speech post 0")
    expect(page.locator("[data-river-post] .badge", has_text="Unread")).to_have_count(3)
    expect(page.get_by_text("Podcast episode")).to_have_count(0)  # not followed
    assert page.problems.console_errors == [] and page.problems.csp_violations == []


def test_following_page_rotates_the_private_links(page, blogs):
    speech, _ = blogs
    log_in(page, "gus")
    Follow.objects.create(user=User.objects.get(username="gus"), resource=speech)
    old = User.objects.get(username="gus").feed_token
    page.goto("/me/following/")
    expect(page.get_by_role("link", name="Speech Blog")).to_be_visible()
    atom = page.get_by_label("Atom feed link")
    assert old in atom.input_value()
    page.get_by_role("button", name="Make new private links").click()
    expect(page.locator(".messages")).to_contain_text("old ones no longer work")
    new = User.objects.get(username="gus").feed_token
    assert new != old and new in page.get_by_label("Atom feed link").input_value()
    assert page.request.get(f"/u/{old}/feed.atom").status == 404
    response = page.request.get(f"/u/{new}/feed.atom")
    assert response.status == 200 and "Speech post 0" in response.text()
    assert page.problems.console_errors == [] and page.problems.csp_violations == []


def test_follow_works_without_javascript(browser, live_server, blogs):
    speech, _ = blogs
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "hal")
    page.goto(speech.get_absolute_url())
    page.get_by_role("button", name="+ Follow Speech Blog").click()
    expect(page.locator(".messages")).to_contain_text("Following Speech Blog")
    expect(page.get_by_role("button", name="✓ Following Speech Blog")).to_be_visible()
    assert page.url.endswith(speech.get_absolute_url())
    context.close()
