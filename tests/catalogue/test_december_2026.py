"""On 1 December 2026, with the real catalogue: the home page and calendars are not empty."""

import datetime as dt

import icalendar
import pytest
import time_machine

from tests.support.pages import page_text

pytestmark = pytest.mark.django_db
DEC_1 = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def test_the_home_page_lists_slt_2026_as_coming_and_says_a_deadline_just_passed(
    client, real_catalogue
):
    with time_machine.travel(DEC_1, tick=False):
        page = page_text(client.get("/"))
    assert "Happening now No conference in the catalogue is running today." in page
    assert "Coming up NeurIPS 2026 — 6 Dec–12 Dec 2026, Sydney, Australia" in page
    assert "IEEE SLT 2026 — 13 Dec–16 Dec 2026, Palermo, Italy to be confirmed" in page
    assert "No upcoming deadline is announced yet." in page
    assert "Just passed: NAACL 2027 — ARR submission: 12 Oct 2026, 23:59 AoE" in page
    assert "No dated deadlines yet" not in page


def test_slt_is_happening_on_14_december(client, real_catalogue):
    with time_machine.travel(dt.datetime(2026, 12, 14, 12, tzinfo=dt.UTC), tick=False):
        page = page_text(client.get("/"))
    assert "Happening now IEEE SLT 2026 — until 16 Dec 2026, Palermo, Italy" in page


def test_the_site_calendar_has_the_year_behind_and_everything_ahead(client, real_catalogue):
    with time_machine.travel(DEC_1, tick=False):
        response = client.get("/events/calendar.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    ahead = {"IEEE SLT 2026", "NeurIPS 2026", "ICASSP 2027", "NAACL 2027", "INTERSPEECH 2027"}
    behind = {
        "ICASSP 2026",
        "INTERSPEECH 2026",
        "EMNLP 2026",
        "NeurIPS 2026: Paper submission deadline",
    }
    assert ahead | behind <= summaries
    # More than a year before 1 December 2026.
    assert "ICASSP 2025" not in summaries and "INTERSPEECH 2025" not in summaries


def test_the_events_page_has_upcoming_editions(client, real_catalogue):
    with time_machine.travel(DEC_1, tick=False):
        page = page_text(client.get("/events/"))
    assert "IEEE SLT 2026" in page
    assert "0 upcoming" not in page


def test_a_moved_entry_visits_its_new_address_and_shows_the_old_one(client, real_catalogue):
    response = client.get("/resources/faster-whisper/")
    html = response.content.decode()
    assert 'href="https://github.com/SYSTRAN/faster-whisper" rel="noopener">Visit' in html
    assert "formerly https://github.com/guillaumekln/faster-whisper" in page_text(response)
    # Moved to another catalogue entry: Visit goes to that entry's own address.
    html = client.get("/resources/papers-with-code/").content.decode()
    assert 'href="https://paperswithcode.co" rel="noopener">Visit' in html


def test_entry_pages_show_the_checked_date_and_the_sources(client, real_catalogue):
    page = page_text(client.get("/resources/assemblyai-lemur/"))
    assert "Checked 1 December 2026" in page
    assert "https://www.assemblyai.com/docs/llm-gateway/migration-from-lemur" in page
    page = page_text(client.get("/people/yann-lecun/"))
    assert "Checked 1 December 2026" in page and "https://www.heise.de/-11085694" in page
    page = page_text(client.get("/events/slt/"))
    assert "Checked 1 December 2026" in page and "https://attend.ieee.org/slt-2026/" in page
    # Each edition names where its dates come from.
    assert "Sources: https://attend.ieee.org/slt-2026/ · https://github.com/ccfddl/" in page
