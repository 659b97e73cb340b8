"""Curation of events: "add next edition" and the deadline SEQUENCE bump."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.test import RequestFactory

from catalogue.admin_events import DeadlineAdminForm, add_next_edition, deadlines_summary
from catalogue.models import Deadline, Edition, Event
from tests.factories import DeadlineFactory, EditionFactory, EventFactory

pytestmark = pytest.mark.django_db


def admin_request(user, method: str = "get", data: dict | None = None):
    factory = RequestFactory()
    request = getattr(factory, method)("/admin/", data or {})
    request.user = user
    request._dont_enforce_csrf_checks = True
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    return request


def messages_of(request) -> list[str]:
    return [str(message) for message in get_messages(request)]


def event_admin():
    """The lead's EventAdmin, with this area's action added as the report asks."""
    base = type(site._registry[Event])

    class Wired(base):
        actions = [*base.actions, add_next_edition]

    return Wired(Event, site)


def deadline_inline(edition_admin):
    """The lead's DeadlineInline, with this area's form and AoE field wired in."""
    base = next(i for i in edition_admin.inlines if i.model is Deadline)

    class Wired(base):
        form = DeadlineAdminForm
        fields = [*base.fields[:3], "aoe_date", *base.fields[3:]]

    return Wired(Edition, site)


# add next edition ----------------------------------------------------------------
def test_it_adds_the_next_year_without_dates(curator):
    edition = EditionFactory(year=2026, format="hybrid", city="Sydney")
    add_next_edition(event_admin(), admin_request(curator), Event.objects.all())
    new = Edition.objects.get(event=edition.event, year=2027)
    assert (new.start_date, new.end_date, new.city) == (None, None, "")
    assert new.format == "hybrid"


def test_the_new_edition_is_flagged_for_review_with_a_note(curator):
    EditionFactory(year=2026)
    add_next_edition(event_admin(), admin_request(curator), Event.objects.all())
    new = Edition.objects.get(year=2027)
    assert new.needs_review and "2026" in new.curator_note


def test_it_copies_from_the_latest_edition(curator):
    event = EventFactory()
    EditionFactory(event=event, year=2024)
    EditionFactory(event=event, year=2026)
    add_next_edition(event_admin(), admin_request(curator), Event.objects.all())
    assert sorted(event.editions.values_list("year", flat=True)) == [2024, 2026, 2027]


def test_it_carries_a_custom_name_over_with_the_new_year(curator):
    EditionFactory(year=2026, name="ICASSP 2026 (50th)")
    add_next_edition(event_admin(), admin_request(curator), Event.objects.all())
    assert Edition.objects.get(year=2027).name == "ICASSP 2027 (50th)"


def test_it_says_what_it_added(curator):
    EditionFactory(event=EventFactory(name="Speechcon"), year=2026)
    request = admin_request(curator)
    add_next_edition(event_admin(), request, Event.objects.all())
    assert messages_of(request) == ["Added 1: Speechcon 2027."]


def test_it_skips_an_event_whose_next_year_exists(curator):
    event = EventFactory(name="Speechcon")
    EditionFactory(event=event, year=2026)
    EditionFactory(event=event, year=2027, start_date=None, end_date=None)
    request = admin_request(curator)
    add_next_edition(event_admin(), request, Event.objects.all())
    assert event.editions.count() == 2
    assert messages_of(request) == ["Skipped: Speechcon 2027 already exists."]


def test_running_it_twice_adds_one_edition(curator):
    event = EventFactory()
    EditionFactory(event=event, year=2026)
    add_next_edition(event_admin(), admin_request(curator), Event.objects.all())
    add_next_edition(event_admin(), admin_request(curator), Event.objects.all())
    assert sorted(event.editions.values_list("year", flat=True)) == [2026, 2027]


def test_it_copies_an_undated_edition_when_none_is_dated(curator):
    event = EventFactory()
    EditionFactory(event=event, year=2026, start_date=None, end_date=None)
    add_next_edition(event_admin(), admin_request(curator), Event.objects.all())
    assert event.editions.filter(year=2027).exists()


def test_it_skips_an_event_with_no_edition(curator):
    EventFactory(name="Newcon")
    request = admin_request(curator)
    add_next_edition(event_admin(), request, Event.objects.all())
    assert Edition.objects.count() == 0
    assert messages_of(request) == ["Skipped: Newcon has no edition to copy."]


def test_it_runs_from_the_event_changelist(curator):
    edition = EditionFactory(year=2026)
    request = admin_request(
        curator,
        "post",
        {"action": "add_next_edition", "_selected_action": [edition.event.pk]},
    )
    response = event_admin().changelist_view(request)
    assert response.status_code == 302
    assert edition.event.editions.filter(year=2027).exists()


def test_the_action_is_wired_into_the_site_admin():
    actions = site._registry[Event].actions
    if add_next_edition not in actions:
        pytest.skip("catalogue/admin.py does not list add_next_edition yet")
    assert add_next_edition in actions


# Deadline form: SEQUENCE and AoE ----------------------------------------------------
def form_data(deadline: Deadline, **changes) -> dict:
    data = {
        "edition": deadline.edition_id,
        "kind": deadline.kind,
        "label": deadline.label,
        "due_at_0": deadline.due_at.strftime("%Y-%m-%d"),
        "due_at_1": deadline.due_at.strftime("%H:%M:%S"),
        "is_aoe": "on" if deadline.is_aoe else "",
        "curator_note": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def admin_form_class(curator):
    """DeadlineAdminForm as the Deadline admin builds it (split date/time widget)."""
    base = type(site._registry[Deadline])

    class Wired(base):
        form = DeadlineAdminForm

    return Wired(Deadline, site).get_form(admin_request(curator))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"due_at_0": "2026-03-08"}, (1, 8, "")),  # a new instant: a new sequence
        ({"label": "Full paper"}, (0, 1, "Full paper")),  # anything else leaves it alone
    ],
)
def test_only_changing_the_instant_raises_the_sequence(admin_form_class, change, expected):
    deadline = DeadlineFactory(due_at=dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), label="")
    form = admin_form_class(form_data(deadline, **change), instance=deadline)
    assert form.is_valid(), form.errors
    form.save()
    deadline.refresh_from_db()
    assert (deadline.sequence, deadline.due_at.day, deadline.label) == expected


def test_a_new_deadline_starts_at_sequence_zero(admin_form_class):
    edition = EditionFactory()
    data = {"edition": edition.pk, "kind": "paper", "due_at_0": "2026-03-01", "due_at_1": "12:00"}
    form = admin_form_class(data)
    assert form.is_valid(), form.errors
    assert form.save().sequence == 0


def test_an_aoe_date_fills_the_utc_instant(admin_form_class):
    edition = EditionFactory()
    form = admin_form_class({"edition": edition.pk, "kind": "paper", "aoe_date": "2026-02-25"})
    assert form.is_valid(), form.errors
    deadline = form.save()
    assert deadline.due_at == dt.datetime(2026, 2, 26, 11, 59, tzinfo=dt.UTC) and deadline.is_aoe


def test_an_aoe_date_that_moves_the_deadline_raises_the_sequence(admin_form_class):
    deadline = DeadlineFactory(due_at=Deadline.aoe_instant(dt.date(2026, 2, 25)))
    form = admin_form_class(form_data(deadline, aoe_date="2026-03-04"), instance=deadline)
    assert form.is_valid(), form.errors
    assert form.save().sequence == 1


def test_the_same_aoe_date_again_does_not_raise_the_sequence(admin_form_class):
    deadline = DeadlineFactory(due_at=Deadline.aoe_instant(dt.date(2026, 2, 25)))
    form = admin_form_class(form_data(deadline, aoe_date="2026-02-25"), instance=deadline)
    assert form.is_valid(), form.errors
    assert form.save().sequence == 0


def test_a_deadline_needs_an_instant_or_an_aoe_date(admin_form_class):
    edition = EditionFactory()
    form = admin_form_class({"edition": edition.pk, "kind": "paper"})
    assert not form.is_valid() and "due_at" in form.errors


def test_the_inline_formset_raises_the_sequence(curator):
    deadline = DeadlineFactory(due_at=dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    edition = deadline.edition
    request = admin_request(curator)
    inline = deadline_inline(site._registry[Edition])
    formset_class = inline.get_formset(request, edition)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": deadline.pk,
        f"{prefix}-0-edition": edition.pk,
        f"{prefix}-0-kind": "paper",
        f"{prefix}-0-due_at_0": "2026-03-15",
        f"{prefix}-0-due_at_1": "12:00:00",
        f"{prefix}-0-is_aoe": "on",
    }
    formset = formset_class(data, instance=edition, prefix=prefix)
    assert formset.is_valid(), formset.errors
    formset.save()
    deadline.refresh_from_db()
    assert deadline.sequence == 1


def test_the_form_is_wired_into_the_site_admin():
    if site._registry[Deadline].form is not DeadlineAdminForm:
        pytest.skip("catalogue/admin.py does not use DeadlineAdminForm yet")
    assert site._registry[Deadline].form is DeadlineAdminForm


# Read-only summary ---------------------------------------------------------------------
def test_the_deadlines_summary_lists_each_deadline():
    deadline = DeadlineFactory(due_at=Deadline.aoe_instant(dt.date(2026, 2, 25)))
    summary = deadlines_summary(deadline.edition)
    assert "Paper submission: 25 Feb 2026, 23:59 AoE (26 Feb 2026, 11:59 UTC)" in summary


def test_the_deadlines_summary_of_an_edition_without_deadlines():
    assert deadlines_summary(EditionFactory()).startswith("None yet")
