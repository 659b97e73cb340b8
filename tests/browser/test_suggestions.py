"""Suggest → accept → the entry is public, in Chromium, from the member's first click."""

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Resource
from suggestions.models import Suggestion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery staple"


def log_in_on_the_page(page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_suggest_then_accept_then_the_entry_is_public(browser, live_server, page):
    UserFactory(username="alice", display_name="Alice")
    UserFactory(username="curator", is_staff=True, is_superuser=True)

    # An anonymous visitor is sent to log in and comes back to the form.
    page.goto("/suggest/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/suggest/$"))
    log_in_on_the_page(page, "alice")
    expect(page).to_have_url(re.compile(r"/suggest/$"))
    page.get_by_label("Title").fill("Parakeet TDT 0.6B")
    page.get_by_label("URL").fill("https://huggingface.co/nvidia/parakeet-tdt-0.6b-v2")
    page.get_by_label("Kind").select_option(label="Model")
    page.get_by_label("Why it belongs in ASR Hub").fill("Fast English ASR under CC BY 4.0.")
    expect(page.get_by_label("Credit me publicly")).to_be_checked()
    page.get_by_role("button", name="Send suggestion").click()
    expect(page).to_have_url(re.compile(r"/me/suggestions/$"))
    expect(page.locator(".messages")).to_contain_text("curators will look at your suggestion")
    row = page.locator("tr", has_text="Parakeet TDT 0.6B")
    expect(row).to_contain_text("Pending")
    suggestion = Suggestion.objects.get()

    # A curator accepts it from the queue: the Resource add form opens pre-filled.
    curator = browser.new_context(base_url=live_server.url)
    admin = curator.new_page()
    admin.goto("/admin/suggestions/suggestion/")
    log_in_on_the_page(admin, "curator")
    admin.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
    admin.get_by_role("combobox", name=re.compile("^Action")).select_option("accept")
    admin.get_by_role("button", name="Go").click()
    expect(admin).to_have_url(re.compile(rf"/suggestion/{suggestion.pk}/accept/$"))
    expect(admin.get_by_label("Title")).to_have_value("Parakeet TDT 0.6B")
    expect(admin.get_by_label("Slug")).to_have_value("parakeet-tdt-06b")
    expect(admin.get_by_label(re.compile(r"^URL:?$"))).to_have_value(
        "https://huggingface.co/nvidia/parakeet-tdt-0.6b-v2"
    )
    admin.get_by_label("Summary").fill("NVIDIA's fast English speech recognition model.")
    admin.get_by_label("Published").check()
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text(
        f"Suggestion #{suggestion.pk} by alice accepted"
    )
    curator.close()

    # The entry is public, credits the member, and the member sees the outcome.
    resource = Resource.objects.get(slug="parakeet-tdt-06b")
    visitor = browser.new_context(base_url=live_server.url)
    public = visitor.new_page()
    public.goto(resource.get_absolute_url())
    expect(public.get_by_role("heading", level=1)).to_have_text("Parakeet TDT 0.6B")
    expect(public.locator(".suggested-by")).to_have_text("Suggested by Alice")
    visitor.close()
    page.goto("/me/suggestions/")
    expect(row).to_contain_text("Accepted")
    row.get_by_role("link", name="Parakeet TDT 0.6B").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parakeet TDT 0.6B")
    assert page.problems.console_errors == [] and page.problems.csp_violations == []


def test_the_members_pages_do_not_scroll_sideways_at_360_px(browser, live_server):
    from tests.factories import ResourceFactory, SuggestionFactory

    alice = UserFactory(username="alice")
    ResourceFactory(slug="blog")
    SuggestionFactory(
        member=alice,
        title="A suggestion with a rather long title about multilingual speech recognition",
        url="https://example.org/" + "long-path-segment-" * 8,
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/accounts/login/")
    log_in_on_the_page(page, "alice")
    suggestion = Suggestion.objects.get()
    for path in ["/suggest/", "/suggest/resource/blog/", "/me/suggestions/",
                 suggestion.get_absolute_url()]:  # fmt: skip
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360 px"
    context.close()
