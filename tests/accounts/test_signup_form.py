"""The sign-up form is laid out like the site's other forms."""

import re

import pytest

pytestmark = pytest.mark.django_db


def form_of(response) -> str:
    html = response.content.decode()
    start = html.index('<form method="post" action="/accounts/signup/">')
    return html[start : html.index("</form>", start)]


def test_labels_have_no_colons(client):
    form = form_of(client.get("/accounts/signup/"))
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", form)
    assert labels == ["Username", "Email", "Password", "Password confirmation"]


def test_help_texts_are_valid_blocks_linked_to_their_inputs(client):
    form = form_of(client.get("/accounts/signup/"))
    # The password rules are a list: a <p> cannot hold one, so help is a <div>.
    assert '<div class="helptext" id="id_password1_helptext"><ul>' in form
    assert 'aria-describedby="id_password1_helptext"' in form
    assert '<p class="helptext"' not in form


def test_errors_are_announced_and_linked_with_aria_describedby(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "a b", "email": "x", "password1": "1", "password2": "2"},
    )
    form = form_of(response)
    assert response.status_code == 200
    assert 'aria-describedby="id_username_helptext id_username_error"' in form
    assert '<div role="alert"><ul class="errorlist" id="id_username_error">' in form
    assert 'aria-invalid="true"' in form
