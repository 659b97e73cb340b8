"""A URL that does not fit its kind is saved with a warning for the curator."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalogue.models import Resource
from catalogue.url_kinds import url_kind_warning
from tests.factories import ResourceFactory


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("repository", "https://huggingface.co/openai/whisper-large-v3"),
        ("repository", "https://gitlab.com/group/project"),
        ("repository", "https://notgithub.com/x/y"),
        ("subreddit", "https://lemmy.world/c/speech"),
        ("arxiv", "https://paperswithcode.com/area/speech"),
        ("youtube", "https://vimeo.com/speech"),
        ("discord", "https://slack.com/speech"),
        ("repository", "not a url"),
    ],
)
def test_it_warns_when_the_host_does_not_fit_the_kind(kind, url):
    warning = url_kind_warning(kind, url)
    assert warning.startswith("The URL is on ")
    assert Resource.Kind(kind).label in warning


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("repository", "https://github.com/openai/whisper"),
        ("repository", "https://GitHub.com/openai/whisper"),
        ("subreddit", "https://www.reddit.com/r/speechrecognition/"),
        ("subreddit", "https://old.reddit.com/r/speechrecognition/"),
        ("arxiv", "https://arxiv.org/list/eess.AS/recent"),
        ("youtube", "https://www.youtube.com/@speech"),
        ("discord", "https://discord.gg/abc"),
        ("blog", "https://anywhere.example/blog"),  # kinds without a home are never warned
        ("model", "https://huggingface.co/openai/whisper-large-v3"),
    ],
)
def test_it_is_silent_when_the_url_fits(kind, url):
    assert url_kind_warning(kind, url) == ""


def post_change(curator_client, resource, **changes):
    url = reverse("admin:catalogue_resource_change", args=[resource.pk])
    form = curator_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.pop("categories", None)
    data.pop("topics", None)
    data.update({"roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0", **changes})
    return curator_client.post(url, data)


@pytest.mark.django_db
def test_the_admin_saves_and_warns_about_a_url_off_its_kinds_host(curator_client):
    resource = ResourceFactory(kind="repository", url="https://github.com/openai/whisper")
    response = post_change(
        curator_client, resource, url="https://huggingface.co/openai/whisper-large-v3"
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.url == "https://huggingface.co/openai/whisper-large-v3"
    warnings = [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert [m.message for m in warnings] == [
        "The URL is on huggingface.co, but a “GitHub repository” usually lives on github.com."
        " Check the kind and the URL (saved as entered)."
    ]


@pytest.mark.django_db
def test_the_admin_says_nothing_when_the_url_fits(curator_client):
    resource = ResourceFactory(kind="repository", url="https://github.com/openai/whisper")
    response = post_change(curator_client, resource, summary="Robust speech recognition.")
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
