"""A visitor filters conferences and subscribes to the filtered calendar."""

import datetime as dt
import re

import icalendar
import pytest
from playwright.sync_api import expect

from catalogue.models import Deadline
from tests.factories import DeadlineFactory, EditionFactory, EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def events():
    # The live server and Chromium share the real clock, so dates are relative to it.
    today = dt.date.today()
    for name, kind, offset in [("Papercon", "academic", 90), ("Shopcon", "industry", 120)]:
        start = today + dt.timedelta(days=offset)
        edition = EditionFactory(
            event=EventFactory(name=name, kind=kind),
            year=start.year,
            start_date=start,
            end_date=start + dt.timedelta(days=3),
        )
        DeadlineFactory(edition=edition, due_at=Deadline.aoe_instant(today + dt.timedelta(days=30)))


def test_a_visitor_filters_events_and_follows_the_subscribe_link(page, events):
    page.goto("/events/")
    expect(page.get_by_role("link", name=re.compile("Papercon"))).to_be_visible()
    page.get_by_label(re.compile("Industry conference")).check()
    expect(page).to_have_url(re.compile(r"kind=industry"))
    expect(page.get_by_role("link", name=re.compile("Papercon"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Shopcon"))).to_be_visible()

    link = page.get_by_role("link", name=re.compile("Subscribe to these"))
    expect(link).to_have_attribute("href", "/events/calendar.ics?kind=industry")
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())
    summaries = sorted(str(component["SUMMARY"]) for component in calendar.walk("VEVENT"))
    assert len(summaries) == 2 and all(summary.startswith("Shopcon ") for summary in summaries)
    assert page.problems.console_errors == [] and page.problems.csp_violations == []


def test_the_script_adds_local_time_and_a_live_countdown(page, events):
    page.goto("/events/")
    local = page.locator(".deadline-local").first
    expect(local).to_be_visible()
    expect(local).to_contain_text("your time:")
    countdown = page.locator("[data-countdown]").first
    expect(countdown).to_have_text(re.compile(r"^in \d+ days?, \d+ hours?$"))
    assert page.problems.foreign_requests == []


def test_filters_work_without_javascript(browser, live_server, events):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/events/")
    page.get_by_label(re.compile("Academic conference")).check()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"kind=academic"))
    expect(page.get_by_role("link", name=re.compile("Shopcon"))).to_have_count(0)
    expect(page.locator(".deadline-utc").first).to_contain_text("UTC")
    context.close()
