"""Members' pages in Chromium: the member menu, drag-and-drop in packs, spacing, forms."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PackItemFactory, ResourceFactory, StarterPackFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pack():
    owner = UserFactory(username="alice")
    pack = StarterPackFactory(owner=owner, slug="week", title="Week", visibility="private")
    for n, title in enumerate(["First", "Second", "Third"]):
        PackItemFactory(pack=pack, position=n, resource=ResourceFactory(title=title))
    return pack


def log_in(page, username: str = "alice") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


def titles(page) -> list[str]:
    return page.locator("ol.pack-items > li .card-title").all_inner_texts()


def test_drag_an_item_to_a_new_place_without_a_reload(page, pack):
    log_in(page)
    page.goto(pack.get_absolute_url())
    page.evaluate("window.__still_here = true")
    # Tall enough that nothing scrolls mid-drag; the mouse moves in steps like a hand.
    page.set_viewport_size({"width": 1280, "height": 1600})
    handle = page.locator("ol.pack-items > li", has_text="Third").locator(".drag-handle")
    start = handle.bounding_box()
    target = page.locator("ol.pack-items > li", has_text="First").bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(start["x"] + 5, start["y"] - 20, steps=5)
    page.mouse.move(target["x"] + 20, target["y"] + 5, steps=10)
    page.mouse.up()
    expect(page.locator("#pack-order-status")).to_have_text("Moved Third to place 1 of 3.")
    assert titles(page) == ["Third", "First", "Second"]
    assert page.evaluate("window.__still_here") is True
    # The buttons follow: the new first item cannot move up, the old one now can.
    expect(page.get_by_role("button", name="↑ Move up Third")).to_be_disabled()
    expect(page.get_by_role("button", name="↑ Move up First")).to_be_enabled()
    assert list(pack.items.order_by("position").values_list("resource__title", flat=True)) == [
        "Third",
        "First",
        "Second",
    ]
    page.reload()
    assert titles(page) == ["Third", "First", "Second"]
    assert page.problems.console_errors == [] and page.problems.csp_violations == []


def test_the_keyboard_path_still_reorders(page, pack):
    log_in(page)
    page.goto(pack.get_absolute_url())
    page.get_by_role("button", name="↓ Move down First").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#item-\d+$"))
    assert titles(page) == ["Second", "First", "Third"]


def test_the_member_menu_opens_by_keyboard_and_closes_with_escape(page, pack):
    log_in(page)
    page.goto("/")
    summary = page.locator(".member-menu summary")
    summary.focus()
    page.keyboard.press("Enter")
    menu = page.get_by_role("navigation", name="Account")
    expect(menu.get_by_role("link", name="Following")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="Following")).to_be_hidden()
    expect(summary).to_be_focused()


def test_the_member_menu_works_without_javascript(browser, live_server, pack):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page)
    page.goto("/")
    page.locator(".member-menu summary").click()
    page.get_by_role("link", name="Following").click()
    expect(page).to_have_url(re.compile(r"/me/following/$"))
    context.close()


@pytest.mark.parametrize(
    ("path", "button"), [("/me/packs/", "Create pack"), ("/me/following/", "Import")]
)
def test_last_buttons_keep_clear_of_the_footer(page, pack, path, button):
    log_in(page)
    page.goto(path)
    bottom = page.get_by_role("button", name=button, exact=True).bounding_box()
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] - (bottom["y"] + bottom["height"]) >= 32


def test_sign_up_inputs_fill_the_form(page, pack):
    page.goto("/accounts/signup/")
    form = page.locator("form[action='/accounts/signup/']").bounding_box()
    for label in ("Username", "Email", "Password confirmation"):
        box = page.get_by_label(label).bounding_box()
        assert abs(box["width"] - form["width"]) < 2, label
