"""Search in a real browser: facets, chips, search as you type, history, no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Resource
from tests.factories import CategoryFactory, ResourceFactory, TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    reading = CategoryFactory(slug="reading", name="Reading")
    whisper = TopicFactory(slug="whisper", name="Whisper")
    diarization = TopicFactory(slug="diarization", name="Diarization")
    ResourceFactory(
        title="openai/whisper", kind="repository", topics=[whisper], categories=[reading]
    )
    ResourceFactory(title="whisperX", kind="repository", topics=[whisper, diarization])
    ResourceFactory(title="Speech Podcast", kind="podcast", topics=[diarization])
    ResourceFactory(title="Diarization Blog", kind=Resource.Kind.BLOG, topics=[diarization])
    ResourceFactory(title="SpeechBrain", kind="repository", summary="All-in-one toolkit.")


def count_of(page, facet: str, value: str) -> str:
    return page.locator(f'label[for="f-{facet}-{value}"] .count').inner_text()


def test_pick_two_facets_see_counts_change_and_remove_a_chip(page, catalogue):
    page.goto("/resources/")
    expect(page.locator(".result-count")).to_contain_text("5 resources")
    assert count_of(page, "kind", "repository") == "3"
    page.get_by_label(re.compile(r"^Diarization")).check()
    expect(page.locator(".result-count")).to_contain_text("3 resources")
    expect(page).to_have_url(re.compile(r"topic=diarization"))
    # Kind counts now apply the topic selection.
    assert count_of(page, "kind", "repository") == "1"
    page.get_by_label(re.compile(r"^GitHub repository")).check()
    expect(page.locator(".result-count")).to_contain_text("1 resource")
    chips = page.get_by_role("list", name="Active filters")
    expect(chips.get_by_role("link")).to_have_count(3)  # two chips and "Clear all"
    chips.get_by_role("link", name=re.compile("Diarization")).click()
    expect(page.locator(".result-count")).to_contain_text("3 resources")
    expect(page).not_to_have_url(re.compile("topic="))
    assert page.problems.console_errors == [] and page.problems.csp_violations == []


def test_search_as_you_type_updates_results_and_url_without_a_reload(page, catalogue):
    page.goto("/resources/")
    page.evaluate("window.__still_here = true")
    box = page.get_by_role("searchbox", name="Search resources")
    box.click()
    box.press_sequentially("whisper", delay=30)
    expect(page).to_have_url(re.compile(r"q=whisper"))
    expect(page.locator(".result-count")).to_contain_text("2 resources")
    expect(page.locator("#result-status")).to_have_text("2 resources")
    assert page.evaluate("window.__still_here") is True
    expect(box).to_be_focused()
    assert page.problems.console_errors == [] and page.problems.csp_violations == []


def test_the_back_button_restores_the_previous_results(page, catalogue):
    page.goto("/resources/")
    page.get_by_label(re.compile(r"^Podcast")).check()
    expect(page.locator(".result-count")).to_contain_text("1 resource")
    page.get_by_label(re.compile(r"^Podcast")).uncheck()
    expect(page.locator(".result-count")).to_contain_text("5 resources")
    page.go_back()
    expect(page).to_have_url(re.compile(r"kind=podcast"))
    expect(page.locator(".result-count")).to_contain_text("1 resource")


def test_the_same_search_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/resources/")
    page.get_by_role("searchbox", name="Search resources").fill("whisper")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=whisper"))
    expect(page.locator(".result-count")).to_contain_text("2 resources")
    page.get_by_label(re.compile(r"^Diarization")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".result-count")).to_contain_text("1 resource")
    context.close()
