"""The reader with the keyboard in Chromium: j/k/o/m/s/? and never inside a text field."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from river.models import PostState
from tests.factories import FollowFactory, PostFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def reader_page(page):
    member = UserFactory(username="kim")
    blog = ResourceFactory(title="Speech Blog", feed_url="https://speech.example/feed.xml")
    FollowFactory(user=member, resource=blog)
    now = dt.datetime.now(dt.UTC)
    posts = [
        PostFactory(
            title=f"Keyboard post {n}",
            link=f"https://speech.example/posts/{n}",
            sources=[blog],
            published_at=now - dt.timedelta(hours=n),
        )
        for n in range(3)
    ]
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("kim")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/me/feed/?show=all")
    return page, member, posts


def test_keyboard_moves_marks_stars_and_shows_help(reader_page):
    page, member, posts = reader_page
    items = page.locator("[data-river-post]")
    expect(items).to_have_count(3)
    page.keyboard.press("j")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("m")  # mark "Keyboard post 1" read: the form posts, the page returns
    page.wait_for_url(f"**/me/feed/?show=all#post-{posts[1].pk}")
    expect(page.locator(f"#post-{posts[1].pk}")).to_be_focused()
    expect(page.locator(f"#post-{posts[1].pk}")).to_contain_text("Mark unread")
    assert PostState.objects.get(user=member, post=posts[1]).is_read is True
    page.keyboard.press("s")
    page.wait_for_load_state()
    expect(
        page.locator(f"#post-{posts[1].pk}").get_by_role("button", name="★ Starred")
    ).to_be_visible()
    assert PostState.objects.get(user=member, post=posts[1]).is_starred is True
    help_box = page.locator("#river-help")
    expect(help_box).not_to_have_attribute("open", "")
    page.keyboard.press("?")
    expect(help_box).to_have_attribute("open", "")
    expect(help_box).to_contain_text("mark read or unread")
    assert page.problems.console_errors == [] and page.problems.csp_violations == []


def test_shortcuts_never_fire_in_a_text_field(reader_page):
    page, member, posts = reader_page
    field = page.get_by_label("Search posts")
    field.click()
    field.type("jkmso?")
    expect(field).to_have_value("jkmso?")
    expect(page.locator("[data-river-post].is-current")).to_have_count(0)
    expect(page.locator("#river-help")).not_to_have_attribute("open", "")
    assert not PostState.objects.filter(user=member).exists()


def test_o_opens_the_post(reader_page):
    page, _, posts = reader_page
    page.route("https://speech.example/**", lambda route: route.fulfill(body="the post"))
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url("https://speech.example/posts/0")
