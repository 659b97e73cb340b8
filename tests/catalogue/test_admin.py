import pytest
from django.urls import reverse

from catalogue.models import Resource
from tests.factories import (
    CategoryFactory,
    DeadlineFactory,
    FeedEntryFactory,
    OrganisationFactory,
    PersonFactory,
    ResourceFactory,
    ResourcePersonFactory,
    TopicFactory,
)
from tests.support.admin import run_action

pytestmark = pytest.mark.django_db

MODELS = ["category", "topic", "resource", "person", "event", "edition", "deadline", "feedentry",
          "resourceperson"]  # fmt: skip


@pytest.fixture
def catalogue():
    organisation = OrganisationFactory(title="Hugging Face")
    resource = ResourceFactory(
        title="HF Blog",
        organisation=organisation,
        categories=[CategoryFactory()],
        topics=[TopicFactory()],
    )
    ResourcePersonFactory(resource=resource, person=PersonFactory())
    DeadlineFactory()
    FeedEntryFactory(resource=resource)
    return resource


@pytest.mark.parametrize("model", MODELS)
def test_it_shows_every_changelist_to_curators(curator_client, catalogue, model):
    response = curator_client.get(reverse(f"admin:catalogue_{model}_changelist") + "?q=a")
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_it_shows_every_add_form_to_curators(curator_client, model):
    response = curator_client.get(reverse(f"admin:catalogue_{model}_add"))
    assert response.status_code == 200


def test_it_shows_an_organisations_resources_inline(curator_client, catalogue):
    url = reverse("admin:catalogue_resource_change", args=[catalogue.organisation_id])
    assert b"HF Blog" in curator_client.get(url).content


def test_it_sends_anonymous_visitors_to_the_admin_login(client):
    response = client.get(reverse("admin:catalogue_resource_changelist"))
    assert response.status_code == 302


def test_it_publishes_in_bulk(curator_client):
    drafts = [ResourceFactory(is_published=False) for _ in range(2)]
    run_action(curator_client, "publish", *drafts)
    assert Resource.objects.published().count() == 2


def test_it_marks_reviewed_in_bulk(curator_client):
    resource = ResourceFactory(needs_review=True)
    run_action(curator_client, "mark_reviewed", resource)
    resource.refresh_from_db()
    assert resource.needs_review is False


def test_it_explains_a_moved_resource_without_target_in_the_form(curator_client):
    resource = ResourceFactory()
    url = reverse("admin:catalogue_resource_change", args=[resource.pk])
    form = curator_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({
        "title": resource.title, "slug": resource.slug, "kind": resource.kind,
        "url": resource.url, "summary": resource.summary, "status": "moved",
        "link_health": "unchecked", "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0",
    })  # fmt: skip
    data.pop("categories", None)
    data.pop("topics", None)
    response = curator_client.post(url, data)
    assert "A moved resource needs a target" in response.content.decode()
