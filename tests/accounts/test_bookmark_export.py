"""Bookmark exports: Markdown, CSV (formula-safe) and a Netscape bookmark file."""

import csv
import datetime as dt
import io
from html.parser import HTMLParser

import pytest
import time_machine

from tests.factories import BookmarkFactory, EventFactory, PersonFactory, ResourceFactory

pytestmark = pytest.mark.django_db

SAVED = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def saved(member, member_client):
    with time_machine.travel(SAVED, tick=False):
        whisper = BookmarkFactory(
            user=member,
            resource=ResourceFactory(
                title='Whisper <script>alert(1)</script> & "co"',
                slug="whisper",
                url="https://github.com/openai/whisper",
                kind="repository",
            ),
            note='=HYPERLINK("https://evil.example")\nsecond line',
        )
        BookmarkFactory(user=member, resource=None, person=PersonFactory(name="Ada", slug="ada"))
        BookmarkFactory(
            user=member,
            resource=None,
            event=EventFactory(name="Odd [link](x)", slug="odd", url="javascript:alert(1)"),
        )
    member_client.post(
        f"/me/bookmarks/{whisper.pk}/edit/", {"note": whisper.note, "tag_names": "to read, asr"}
    )
    BookmarkFactory(resource=ResourceFactory(title="Someone else's"))
    return whisper


def test_csv_has_every_bookmark_and_defuses_formulas(member_client, saved):
    response = member_client.get("/me/bookmarks/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="asrhub-bookmarks.csv"'
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # Newest first; saved at the same instant, the last saved comes first.
    assert [row["title"] for row in rows] == [
        "Odd [link](x)",
        "Ada",
        'Whisper <script>alert(1)</script> & "co"',
    ]
    whisper = rows[2]
    assert whisper["url"] == "https://github.com/openai/whisper"
    assert whisper["asrhub_page"] == "http://testserver/resources/whisper/"
    assert whisper["note"].startswith("'=HYPERLINK(")
    assert whisper["tags"] == "asr,to read"
    assert whisper["saved_at"] == "2026-11-30T12:00:00+00:00"
    assert rows[1]["url"] == "http://testserver/people/ada/"
    # A javascript: address is never written; the entry's page stands in.
    assert rows[0]["url"] == "http://testserver/events/odd/"
    assert "Someone else" not in response.content.decode()


def test_netscape_file_parses_with_titles_tags_dates_and_notes_escaped(member_client, saved):
    response = member_client.get("/me/bookmarks/export.html")
    body = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert body.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert "<script>" not in body and "javascript:" not in body

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self.notes, self.in_a = [], [], False

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.links.append(dict(attrs))
                self.in_a = True

        def handle_endtag(self, tag):
            self.in_a = tag != "a" and self.in_a

        def handle_data(self, data):
            if self.in_a:
                self.links[-1]["text"] = self.links[-1].get("text", "") + data
            elif data.strip():
                self.notes.append(data.strip())

    parser = Links()
    parser.feed(body)
    assert [link["text"] for link in parser.links] == [
        "Odd [link](x)",
        "Ada",
        'Whisper <script>alert(1)</script> & "co"',
    ]
    first = parser.links[2]
    assert first["href"] == "https://github.com/openai/whisper"
    assert first["tags"] == "asr,to read"
    assert first["add_date"] == str(int(SAVED.timestamp()))
    assert '=HYPERLINK("https://evil.example") second line' in parser.notes


def test_markdown_escapes_titles_and_urls(member_client, saved):
    response = member_client.get("/me/bookmarks/export.md")
    body = response.content.decode()
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    lines = body.splitlines()
    assert lines[0] == "# Bookmarks of alice on ASR Hub"
    assert lines[2] == r"- [Odd \[link\]\(x\)](http://testserver/events/odd/) — Event"
    assert lines[4] == (
        r'- [Whisper \<script\>alert\(1\)\</script\> \& "co"]'
        r"(https://github.com/openai/whisper) — GitHub repository · `asr`, `to read`"
    )
    assert lines[5] == r'  > =HYPERLINK\("https://evil\.example"\) second line'
    assert "<script>" not in body


def test_exports_need_a_login_and_a_known_format(client, member_client):
    assert member_client.get("/me/bookmarks/export.pdf").status_code == 404
    assert member_client.post("/me/bookmarks/export.csv").status_code == 405
    client.logout()
    response = client.get("/me/bookmarks/export.csv")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_bookmarks_page_links_the_exports(member_client, saved):
    html = member_client.get("/me/bookmarks/").content.decode()
    for fmt in ("html", "md", "csv"):
        assert f'href="/me/bookmarks/export.{fmt}" download' in html
