"""The curators' queue: accept, reject with a reason, mark duplicate; who is offered what."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from catalogue.models import Event, Person, Resource
from suggestions.models import Suggestion
from tests.factories import (
    EventFactory,
    PersonFactory,
    ResourceFactory,
    SuggestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/suggestions/suggestion/"


def catalogue_state() -> list:
    return [
        list(Resource.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(Event.objects.order_by("pk").values()),
    ]


def act(client, action: str, suggestions, **extra):
    data = {"action": action, "_selected_action": [s.pk for s in suggestions], **extra}
    return client.post(QUEUE, data)


def form_data(form) -> dict:
    """What a browser would post back for an admin form as it was rendered."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


def staff(*codenames: str):
    user = UserFactory(username="-".join(codenames) or "staff", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


# --- The queue ---------------------------------------------------------------------


def test_the_queue_lists_pending_suggestions_first_oldest_first(curator_client, curator):
    first, second = SuggestionFactory(title="First"), SuggestionFactory(title="Second")
    decided = SuggestionFactory(title="Decided")
    decided.reject(curator, "No.")
    response = curator_client.get(QUEUE)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [first, second, decided]


def test_a_suggestions_page_offers_to_accept_it_while_pending(curator_client, curator):
    suggestion = SuggestionFactory(title="Parakeet")
    correction = SuggestionFactory(kind="correction", resource=ResourceFactory(title="Whisper"))
    page = curator_client.get(f"{QUEUE}{suggestion.pk}/change/")
    assert page.status_code == 200
    assert f'href="{QUEUE}{suggestion.pk}/accept/"' in page.content.decode()
    page = curator_client.get(f"{QUEUE}{correction.pk}/change/")
    assert page.status_code == 200
    assert "Whisper" in page.content.decode() and "/accept/" not in page.content.decode()
    suggestion.reject(curator, "No.")
    assert "/accept/" not in curator_client.get(f"{QUEUE}{suggestion.pk}/change/").content.decode()


def test_curators_cannot_add_suggestions_themselves(curator_client):
    assert curator_client.get(QUEUE + "add/").status_code == 403


# --- Accepting a new entry ---------------------------------------------------------


def test_accept_opens_a_prefilled_resource_add_form(curator_client):
    suggestion = SuggestionFactory(
        title="Parakeet TDT", url="https://huggingface.co/nvidia/parakeet", entry_kind="model"
    )
    response = act(curator_client, "accept", [suggestion])
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}{suggestion.pk}/accept/"
    response = curator_client.get(response["Location"])
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form["title"].value() == "Parakeet TDT"
    assert form["slug"].value() == "parakeet-tdt"
    assert form["kind"].value() == "model"
    assert form["url"].value() == "https://huggingface.co/nvidia/parakeet"
    assert "Suggested by" in form["curator_note"].value()
    # Opening the form decides nothing and adds nothing.
    suggestion.refresh_from_db()
    assert suggestion.status == "pending" and not Resource.objects.exists()


def test_saving_the_prefilled_form_accepts_the_suggestion(curator_client, curator):
    suggestion = SuggestionFactory(title="Parakeet TDT", entry_kind="model")
    url = f"{QUEUE}{suggestion.pk}/accept/"
    data = form_data(curator_client.get(url).context["adminform"].form)
    data.update({"summary": "NVIDIA's fast English model.", "is_published": "on"})
    data.update({"roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0"})
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response["Location"] == QUEUE
    resource = Resource.objects.get()
    assert (resource.title, resource.slug, resource.is_published) == (
        "Parakeet TDT",
        "parakeet-tdt",
        True,
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.resource, suggestion.decided_by) == (
        "accepted",
        resource,
        curator,
    )
    # Accepted: the form is not offered again.
    again = curator_client.get(url)
    assert again.status_code == 302 and Resource.objects.count() == 1


def test_an_invalid_add_form_leaves_the_suggestion_pending(curator_client):
    suggestion = SuggestionFactory()
    url = f"{QUEUE}{suggestion.pk}/accept/"
    data = form_data(curator_client.get(url).context["adminform"].form)
    data.update({"roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", "summary": ""})
    assert curator_client.post(url, data).status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.status == "pending" and not Resource.objects.exists()


def test_the_accept_form_answers_404_for_a_correction_or_nothing(curator_client):
    correction = SuggestionFactory(kind="correction", resource=ResourceFactory())
    assert curator_client.get(f"{QUEUE}{correction.pk}/accept/").status_code == 404
    assert curator_client.get(f"{QUEUE}999999/accept/").status_code == 404
    assert curator_client.get(f"{QUEUE}abc/accept/").status_code == 404


def test_accept_takes_one_suggestion_at_a_time(curator_client):
    suggestions = SuggestionFactory.create_batch(2)
    response = act(curator_client, "accept", suggestions)
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert set(Suggestion.objects.values_list("status", flat=True)) == {"pending"}


# --- Accepting a correction --------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "field", "admin_name"),
    [
        (ResourceFactory, "resource", "catalogue_resource_change"),
        (PersonFactory, "person", "catalogue_person_change"),
        (EventFactory, "event", "catalogue_event_change"),
    ],
)
def test_accepting_a_correction_opens_the_entrys_change_form_with_the_note(
    curator_client, curator, factory, field, admin_name
):
    entry = factory()
    suggestion = SuggestionFactory(
        kind="correction",
        message="The affiliation changed in 2026.",
        evidence_url="https://evidence.example/",
        **{field: entry},
    )
    before = catalogue_state()
    response = act(curator_client, "accept", [suggestion])
    assert response.status_code == 302
    assert response["Location"] == reverse(f"admin:{admin_name}", args=[entry.pk])
    page = curator_client.get(response["Location"]).content.decode()
    assert "The affiliation changed in 2026." in page and "https://evidence.example/" in page
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("accepted", curator)
    assert catalogue_state() == before  # the curator edits the entry; accepting does not


# --- Rejecting ---------------------------------------------------------------------


def test_reject_asks_for_a_reason_first(curator_client):
    suggestion = SuggestionFactory()
    response = act(curator_client, "reject", [suggestion])
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    response = act(curator_client, "reject", [suggestion], apply="yes", reason="  ")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_rejected_suggestions_change_nothing_in_the_catalogue(curator_client, curator):
    entry = ResourceFactory()
    new = SuggestionFactory(url="https://new.example/")
    correction = SuggestionFactory(kind="correction", resource=entry, message="Wrong title")
    before = catalogue_state()
    response = act(curator_client, "reject", [new, correction], apply="yes", reason="Off topic.")
    assert response.status_code == 302
    assert catalogue_state() == before
    for suggestion in (new, correction):
        suggestion.refresh_from_db()
        assert (suggestion.status, suggestion.reason, suggestion.decided_by) == (
            "rejected",
            "Off topic.",
            curator,
        )


def test_the_member_sees_the_reason(member_client, member, curator_client):
    suggestion = SuggestionFactory(member=member)
    act(curator_client, "reject", [suggestion], apply="yes", reason="Not about speech.")
    member_client.force_login(member)
    assert "Not about speech." in member_client.get("/me/suggestions/").content.decode()


def test_a_decided_suggestion_is_not_decided_again(curator_client, curator):
    suggestion = SuggestionFactory()
    suggestion.reject(curator, "First reason.")
    act(curator_client, "reject", [suggestion], apply="yes", reason="Second reason.")
    suggestion.refresh_from_db()
    assert suggestion.reason == "First reason."


def test_reopen_puts_a_suggestion_back_in_the_queue(curator_client, curator):
    suggestion = SuggestionFactory()
    suggestion.reject(curator, "Mistake.")
    assert act(curator_client, "reopen", [suggestion]).status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("pending", None)


# --- Duplicates --------------------------------------------------------------------


def test_mark_duplicate_of_another_suggestion(curator_client):
    original, repeat = SuggestionFactory(), SuggestionFactory()
    assert act(curator_client, "mark_duplicate", [repeat]).status_code == 200
    before = catalogue_state()
    response = act(curator_client, "mark_duplicate", [repeat], apply="yes", of=original.pk)
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert (repeat.status, repeat.duplicate_of) == ("duplicate", original)
    assert catalogue_state() == before


def test_mark_duplicate_of_an_existing_entry(curator_client):
    entry = ResourceFactory()
    repeat = SuggestionFactory()
    act(curator_client, "mark_duplicate", [repeat], apply="yes", entry=entry.pk)
    repeat.refresh_from_db()
    assert (repeat.status, repeat.resource) == ("duplicate", entry)


@pytest.mark.parametrize("extra", [{}, {"of": "self"}, {"of": "999999"}, {"of": "x"}])
def test_mark_duplicate_needs_exactly_one_other_target(curator_client, extra):
    repeat = SuggestionFactory()
    if extra.get("of") == "self":
        extra = {"of": repeat.pk}
    response = act(curator_client, "mark_duplicate", [repeat], apply="yes", **extra)
    assert response.status_code == 200
    repeat.refresh_from_db()
    assert repeat.status == "pending"


def test_mark_duplicate_refuses_both_targets(curator_client):
    original, repeat = SuggestionFactory(), SuggestionFactory()
    response = act(
        curator_client,
        "mark_duplicate",
        [repeat],
        apply="yes",
        of=original.pk,
        entry=ResourceFactory().pk,
    )
    assert "Give one suggestion number or one entry." in response.content.decode()


# --- Permissions -------------------------------------------------------------------


def test_staff_who_may_only_view_are_offered_no_decisions(client):
    client.force_login(staff("view_suggestion"))
    suggestion = SuggestionFactory()
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action offered, so no action menu
    for action in ("accept", "reject", "mark_duplicate", "reopen"):
        act(client, action, [suggestion], apply="yes", reason="x")
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    assert client.get(f"{QUEUE}{suggestion.pk}/accept/").status_code == 403


def test_staff_who_may_change_are_offered_every_decision(client):
    client.force_login(staff("view_suggestion", "change_suggestion"))
    SuggestionFactory()
    choices = dict(client.get(QUEUE).context["action_form"].fields["action"].choices)
    assert {"accept", "reject", "mark_duplicate", "reopen"} <= set(choices)


def test_accepting_a_new_entry_needs_permission_to_add_resources(client):
    client.force_login(staff("view_suggestion", "change_suggestion"))
    suggestion = SuggestionFactory()
    assert client.get(f"{QUEUE}{suggestion.pk}/accept/").status_code == 403
    client.force_login(staff("view_suggestion", "change_suggestion", "add_resource"))
    assert client.get(f"{QUEUE}{suggestion.pk}/accept/").status_code == 200


def test_members_never_reach_the_queue(member_client):
    response = member_client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
