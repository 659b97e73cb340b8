"""One member menu in the header: every member page one click away, without JavaScript."""

import re

import pytest

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<details class="member-menu">.*?</details>', re.S)


def menu_of(response) -> str:
    match = MENU.search(response.content.decode())
    assert match, "no member menu"
    return match.group(0)


def test_the_member_menu_lists_every_member_page_as_links(member_client):
    menu = menu_of(member_client.get("/resources/"))
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)
    assert links == [
        ("/me/feed/", "Feed"),
        ("/me/following/", "Following"),
        ("/me/bookmarks/", "Bookmarks"),
        ("/me/packs/", "Packs"),
        ("/suggest/", "Suggest an entry"),
        ("/me/suggestions/", "Suggestions"),
        ("/accounts/settings/", "Settings"),
    ]
    assert 'action="/accounts/logout/"' in menu and ">Log out</button>" in menu


def test_the_menu_names_the_member_and_marks_the_current_page(member_client):
    menu = menu_of(member_client.get("/me/following/"))
    assert '<summary><span class="visually-hidden">Member menu for </span>alice</summary>' in menu
    assert '<a href="/me/following/" aria-current="page">Following</a>' in menu
    assert menu.count("aria-current") == 1


def test_visitors_see_log_in_and_sign_up_instead(client):
    html = client.get("/").content.decode()
    assert 'class="member-menu"' not in html
    assert ">Sign up</a>" in html
