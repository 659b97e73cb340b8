"""Sign-up, log in and out, passwords, lockout, settings and the member page."""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories import MailSettingsFactory, StarterPackFactory, UserFactory
from tests.support.members import sign_up

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_sign_up_logs_the_new_member_in(client):
    response = sign_up(client, "carol")
    assert response.status_code == 302
    user = User.objects.get(username="carol")
    assert user.email == "carol@example.org"
    assert client.get("/me/bookmarks/").status_code == 200


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"password1": "a-Long-enough-passw0rd", "password2": "different-Passw0rd!"}, "didn"),
        ({"email": "not-an-email"}, "valid email"),
        ({"username": "alice"}, "already exists"),
    ],
)
def test_sign_up_rejects_bad_input_and_changes_nothing(client, member, data, error):
    count = User.objects.count()
    response = sign_up(client, **{"username": "dave", "email": "dave@example.org", **data})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.count() == count


def test_log_in_and_log_out_by_post_only(client, member):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/me/bookmarks/").status_code == 302


def test_login_redirects_only_to_this_site(client, member):
    response = client.post(
        "/accounts/login/?next=https://evil.example/",
        {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_repeated_failures_lock_the_account_and_address_with_a_message(client, member):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(member_client, member):
    response = member_client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "an-Other-long-passw0rd",
            "new_password2": "an-Other-long-passw0rd",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("an-Other-long-passw0rd")


def test_password_reset_by_email(client, member):
    response = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "brand-New-passw0rd!", "new_password2": "brand-New-passw0rd!"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("brand-New-passw0rd!")


def test_password_reset_does_not_tell_whether_an_address_exists(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_settings_change_email_and_display_name(member_client, member, other_member):
    response = member_client.post(
        "/accounts/settings/", {"display_name": "Alice L.", "email": "alice@new.example"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.email) == ("Alice L.", "alice@new.example")
    # Another account's verified address: saved as any change is (the page must not
    # tell who is a member), but it can never be verified here; the owner gets a notice.
    # (tests/digests/test_verification.py covers the notice and unverified addresses.)
    MailSettingsFactory(user=other_member)
    taken = member_client.post(
        "/accounts/settings/", {"display_name": "", "email": other_member.email.upper()}
    )
    assert taken.status_code == 302
    assert "Another account" not in member_client.get("/accounts/settings/").content.decode()
    member.refresh_from_db()
    assert member.email.lower() == other_member.email.lower()
    assert [m.to for m in mail.outbox] == [["alice@new.example"], [other_member.email]]
    assert mail.outbox[1].subject == "Someone tried to use your e-mail address at ASR Hub"


def test_member_page_lists_only_public_packs(client, member):
    StarterPackFactory(owner=member, title="Open pack", visibility="public")
    StarterPackFactory(owner=member, title="Secret pack", visibility="private")
    StarterPackFactory(owner=member, title="Link-only pack", visibility="unlisted")
    html = client.get("/members/alice/").content.decode()
    assert "Open pack" in html
    assert "Secret pack" not in html and "Link-only pack" not in html
    assert client.get("/members/nobody/").status_code == 404


def test_inactive_members_have_no_page(client):
    UserFactory(username="gone", is_active=False)
    assert client.get("/members/gone/").status_code == 404
