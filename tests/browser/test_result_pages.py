"""Result pages people can scan (issue 13): on a phone the first result comes before the
filters, which open and apply with the keyboard; on a laptop a screen holds 8+ results.

Run on the real catalogue (``load_catalogue``): its titles, summaries and facet values
are what people see. Set ``ASRHUB_SCREENSHOTS`` to a folder to keep screenshots.
"""

import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def real_catalogue():
    call_command("load_catalogue", verbosity=0)


def screenshot(page, name: str) -> None:
    folder = os.environ.get("ASRHUB_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"))


def open_page(browser, live_server, viewport, javascript=True):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_on_a_phone_the_first_result_is_on_the_first_screen(browser, live_server, real_catalogue):
    context, page = open_page(browser, live_server, PHONE)
    page.goto("/resources/")
    screenshot(page, "phone-resources")
    first = page.locator(".card").first
    box = first.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], box  # whole card, no scrolling
    assert page.evaluate("window.scrollY") == 0
    expect(page.locator("#filters .facet-panel")).to_be_hidden()
    expect(page.locator("summary.filters-toggle")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()


def test_on_a_phone_filters_open_and_apply_with_the_keyboard(browser, live_server, real_catalogue):
    context, page = open_page(browser, live_server, PHONE)
    page.goto("/resources/")
    total = page.locator(".result-count strong").inner_text()
    toggle = page.locator("summary.filters-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#filters .facet-panel")).to_be_visible()
    page.keyboard.press("Tab")  # the sort order
    expect(page.locator("#sort")).to_be_focused()
    page.keyboard.press("Tab")  # the first value of the first facet
    checkbox = page.locator("#filters input[type=checkbox]").first
    expect(checkbox).to_be_focused()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"[?&]\w+=[-\w]+"))
    expect(page.locator("summary.filters-toggle")).to_contain_text("Filters (1")
    expect(page.locator(".result-count strong")).not_to_have_text(total)
    # The panel stays open after the results were swapped in, with focus on the box.
    expect(page.locator("#filters .facet-panel")).to_be_visible()
    expect(page.locator("#filters input[type=checkbox]").first).to_be_checked()
    screenshot(page, "phone-filters-open")
    context.close()


def test_on_a_phone_filters_work_without_javascript(browser, live_server, real_catalogue):
    context, page = open_page(browser, live_server, PHONE, javascript=False)
    page.goto("/resources/")
    expect(page.locator("#filters .facet-panel")).to_be_hidden()
    page.locator("summary.filters-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#filters .facet-panel")).to_be_visible()
    page.get_by_label(re.compile(r"^Podcast")).check()
    page.get_by_role("button", name="Apply filters").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"kind=podcast"))
    expect(page.locator("summary.filters-toggle")).to_contain_text("Filters (1")
    assert page.locator(".card .badge").first.inner_text() == "Podcast"
    context.close()


def test_on_a_laptop_a_screen_holds_at_least_eight_results(browser, live_server, real_catalogue):
    context, page = open_page(browser, live_server, LAPTOP)
    page.goto("/resources/")
    screenshot(page, "laptop-resources")
    expect(page.locator("#filters .facet-panel")).to_be_visible()  # beside the results
    expect(page.locator("summary.filters-toggle")).to_be_hidden()
    bottoms = page.locator(".card").evaluate_all(
        "cards => cards.map(card => card.getBoundingClientRect().bottom)"
    )
    on_screen = [bottom for bottom in bottoms if bottom <= LAPTOP["height"]]
    assert len(on_screen) >= 8, bottoms[:12]
    context.close()


def test_on_a_laptop_without_javascript_the_filters_show(browser, live_server, real_catalogue):
    context, page = open_page(browser, live_server, LAPTOP, javascript=False)
    page.goto("/resources/")
    expect(page.locator("#filters .facet-panel")).to_be_visible()
    page.get_by_label(re.compile(r"^Podcast")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"kind=podcast"))
    context.close()


def test_skip_to_results_and_show_all_values(browser, live_server, real_catalogue):
    context, page = open_page(browser, live_server, LAPTOP)
    page.goto("/resources/")
    page.get_by_role("button", name="Search", exact=True).focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#search-results")).to_be_focused()
    page.keyboard.press("Tab")  # the first result's title is the next stop
    expect(page.locator(".card-title a").first).to_be_focused()
    # A long facet shows its top values and the rest behind "Show all".
    more = page.locator("#facet-topic details.facet-more")
    expect(more).to_have_count(1)
    hidden = more.locator("input[type=checkbox]").first
    expect(hidden).to_be_hidden()
    more.locator("summary").click()
    expect(hidden).to_be_visible()
    context.close()
