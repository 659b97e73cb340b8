"""Members in a real browser: sign up, bookmark from search, build and share a pack."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Bookmark, StarterPack
from tests.factories import ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-Long-enough-passw0rd"


@pytest.fixture
def entries():
    return [
        ResourceFactory(title="openai/whisper", kind="repository"),
        ResourceFactory(title="Speech Podcast", kind="podcast"),
        ResourceFactory(title="Diarization Blog"),
    ]


def sign_up(page, username: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def test_sign_up_then_bookmark_from_search_results(page, entries):
    sign_up(page, "carol")
    expect(page.locator(".messages")).to_contain_text("Welcome to ASR Hub, carol")
    page.goto("/resources/?q=whisper")
    card = page.locator("article.card", has_text="openai/whisper")
    card.get_by_role("button", name=re.compile("Bookmark")).click()
    expect(card.get_by_role("button", name=re.compile("Bookmarked"))).to_have_attribute(
        "aria-pressed", "true"
    )
    assert Bookmark.objects.filter(user__username="carol", resource=entries[0]).exists()
    page.goto("/me/bookmarks/")
    # exact: the card also has "Visit openai/whisper"
    expect(page.get_by_role("link", name="openai/whisper", exact=True)).to_be_visible()
    assert page.problems.console_errors == [] and page.problems.csp_violations == []


def test_build_reorder_share_and_copy_a_pack(page, browser, live_server, entries):
    sign_up(page, "dora")
    page.goto("/me/packs/")
    page.get_by_label("Title").fill("My ASR week")
    page.get_by_role("button", name="Create pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My ASR week")
    pack_url = page.url

    for entry in entries:
        page.goto(entry.get_absolute_url())
        page.get_by_text("Add to pack…").click()
        page.get_by_label("Pack").select_option(label="My ASR week")
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("Added")

    page.goto(pack_url)
    page.get_by_label("Title").fill("Team notes")
    page.get_by_label("URL").fill("https://notes.example/asr")
    page.get_by_role("button", name="Add link").click()
    items = page.locator("ol.pack-items > li h2")
    expect(items).to_have_text(
        ["openai/whisper", "Speech Podcast", "Diarization Blog", "Team notes"]
    )

    # Reorder with the keyboard: focus "Move up" on the last item and press Enter.
    page.get_by_role("button", name="↑ Move up Team notes").focus()
    page.keyboard.press("Enter")
    expect(items).to_have_text(
        ["openai/whisper", "Speech Podcast", "Team notes", "Diarization Blog"]
    )

    # Visibility is shown and changed on the pack page itself.
    expect(page.get_by_label("Visibility")).to_have_value("private")
    page.get_by_label("Visibility").select_option("public")
    page.get_by_role("button", name="Change visibility").click()
    expect(page.locator(".messages")).to_contain_text("is now Public")
    expect(page.get_by_label("Visibility")).to_have_value("public")
    share = page.get_by_label("Share link").input_value()
    assert share.endswith("/packs/dora/my-asr-week/")

    UserFactory(username="erin")
    other = browser.new_context(base_url=live_server.url)
    other_page = other.new_page()
    other_page.goto("/accounts/login/")
    other_page.get_by_label("Username").fill("erin")
    other_page.get_by_label("Password").fill("correct horse battery staple")
    other_page.get_by_role("button", name="Log in").click()
    other_page.goto(share)
    other_page.get_by_role("button", name="Copy to my packs").click()
    expect(other_page.locator(".messages")).to_contain_text("Copied")
    expect(other_page.get_by_role("link", name="My ASR week")).to_be_visible()
    copy = StarterPack.objects.get(owner__username="erin")
    assert copy.copied_from.owner.username == "dora"
    assert copy.items.count() == 4
    other.close()
