"""The site as a newcomer and a curator first meet it."""

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Resource
from tests.factories import CategoryFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue():
    category = CategoryFactory(name="Repositories")
    return ResourceFactory(
        title="openai/whisper",
        summary="The official Whisper repository.",
        description="Robust speech recognition via **large-scale weak supervision**.",
        categories=[category],
    )


def test_it_loads_the_home_page_without_console_errors_or_csp_violations(page, catalogue):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("speech recognition")
    assert page.problems.console_errors == []
    assert page.problems.csp_violations == []
    assert page.problems.foreign_requests == []


def test_it_opens_a_resource_page_from_the_home_page(page, catalogue):
    page.goto("/")
    page.get_by_role("link", name="openai/whisper").first.click()
    expect(page).to_have_url(re.compile(r"/resources/.+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("openai/whisper")
    expect(page.locator("strong")).to_have_text("large-scale weak supervision")


def test_a_curator_logs_into_the_admin_and_edits_a_resource(page, catalogue):
    UserFactory(username="curator", is_staff=True, is_superuser=True)
    page.goto("/admin/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Resources", exact=True).click()
    page.get_by_role("link", name="openai/whisper").click()
    page.get_by_label("Summary").fill("Whisper: robust speech recognition from OpenAI.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Resource.objects.get(pk=catalogue.pk).summary.startswith("Whisper: robust")
