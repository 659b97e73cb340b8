"""Log-in lockout per real client address, the per-username throttle, password-reset
throttle, sign-up that tells nothing about addresses, look-alike usernames."""

import pytest
from django.core import mail
from django.test import Client, override_settings

from accounts.models import User
from accounts.throttle import KNOWN_BROWSER
from tests.factories import UserFactory
from tests.support.members import sign_up

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.1"  # every request arrives from the one proxy in front
BEHIND_ONE_PROXY = override_settings(ASRHUB_TRUSTED_PROXIES=["10.0.0.0/8"], ASRHUB_PROXY_COUNT=1)


def from_address(address: str, forwarded_for: str | None = None) -> Client:
    """A browser whose requests come through the proxy, which appends its peer."""
    chain = f"{forwarded_for}, {address}" if forwarded_for else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


@pytest.fixture
def attacker() -> Client:
    """One browser, at one address behind the proxy, that guesses passwords."""
    return from_address("203.0.113.9")


def log_in(client: Client, password: str, username: str = "alice"):
    return client.post("/accounts/login/", {"username": username, "password": password})


@BEHIND_ONE_PROXY
def test_failures_lock_the_client_address_not_the_member(member, attacker):
    assert [log_in(attacker, "wrong").status_code for _ in range(5)] == [200] * 4 + [429]
    locked = log_in(attacker, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    owner = from_address("198.51.100.7")
    assert log_in(owner, PASSWORD).status_code == 302
    assert "_auth_user_id" in owner.session


@BEHIND_ONE_PROXY
def test_a_forged_forwarded_for_does_not_change_the_address(member):
    for n in range(5):
        log_in(from_address("203.0.113.9", forwarded_for=f"192.0.2.{n}"), "wrong")
    assert (
        log_in(from_address("203.0.113.9", forwarded_for="192.0.2.99"), PASSWORD).status_code == 429
    )


@BEHIND_ONE_PROXY
def test_forwarded_for_counts_only_from_the_trusted_proxy(member):
    """Someone reaching the process directly cannot pick a fresh address per try."""
    for n in range(5):
        direct = Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        log_in(direct, "wrong")
    direct = Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert log_in(direct, PASSWORD).status_code == 429


@BEHIND_ONE_PROXY
def test_logging_in_to_ones_own_account_does_not_reset_the_count(member, other_member, attacker):
    for _ in range(4):
        log_in(attacker, "wrong")
        assert log_in(attacker, PASSWORD, username="bob").status_code == 302
        attacker.post("/accounts/logout/")
    assert log_in(attacker, "wrong").status_code == 429


@BEHIND_ONE_PROXY
def test_the_locked_address_is_locked_for_every_username(member, other_member, attacker):
    for _ in range(5):
        log_in(attacker, "wrong")
    assert log_in(attacker, PASSWORD, username="bob").status_code == 429


@BEHIND_ONE_PROXY
@override_settings(ASRHUB_USERNAME_FAILURES=10, ASRHUB_USERNAME_INTERVAL=30)
def test_guesses_from_many_addresses_are_throttled_per_username(member):
    known = from_address("198.51.100.7")
    assert log_in(known, PASSWORD).status_code == 302
    assert known.cookies[KNOWN_BROWSER]["httponly"]
    for n in range(10):  # fewer than five per address: no address is locked
        assert log_in(from_address(f"203.0.113.{n}"), "wrong").status_code == 200
    # Past the limit, one try per interval for that username from anywhere new:
    assert log_in(from_address("203.0.113.100"), "wrong").status_code == 200
    throttled = log_in(from_address("203.0.113.101"), PASSWORD)
    assert throttled.status_code == 429
    assert "Too many failed log-ins for this account" in throttled.content.decode()
    assert "_auth_user_id" not in throttled.client.session
    # ...while the owner's own browser still gets in, and other members are untouched.
    known.post("/accounts/logout/")
    assert log_in(known, PASSWORD).status_code == 302
    UserFactory(username="carol")
    assert log_in(from_address("203.0.113.102"), PASSWORD, username="carol").status_code == 302


@BEHIND_ONE_PROXY
def test_a_throttled_try_does_not_check_the_password(member):
    from django.contrib.auth.signals import user_login_failed

    for n in range(10):
        log_in(from_address(f"203.0.113.{n}"), "wrong")
    log_in(from_address("203.0.113.50"), "wrong")  # the one try of this interval
    checked = []
    user_login_failed.connect(lambda **kw: checked.append(kw), weak=False, dispatch_uid="t")
    try:
        assert log_in(from_address("203.0.113.51"), "wrong").status_code == 429
    finally:
        user_login_failed.disconnect(dispatch_uid="t")
    assert checked == []


def test_password_reset_mails_are_throttled_per_address(client, member):
    for _ in range(3):
        assert (
            client.post("/accounts/password/reset/", {"email": "alice@example.org"}).status_code
            == 302
        )
    again = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert again.status_code == 302  # the same answer: it tells nothing
    assert again["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 3


def test_password_reset_is_throttled_per_client(client, db):
    for n in range(9):
        assert (
            client.post("/accounts/password/reset/", {"email": f"x{n}@example.org"}).status_code
            == 302
        )
    refused = client.post("/accounts/password/reset/", {"email": "x99@example.org"})
    assert refused.status_code == 429
    assert "Too many password-reset requests" in refused.content.decode()


def test_sign_up_does_not_tell_that_an_address_is_taken(client, member):
    taken = sign_up(Client(), "dave", "ALICE@example.org")
    fresh = sign_up(Client(), "erin")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert "already" not in taken.content.decode()


LOOKS_LIKE = "looks like another one"


@pytest.mark.parametrize(
    ("username", "error"),
    [
        ("\u0430lice", LOOKS_LIKE),  # Cyrillic а
        ("\u0410LICE", LOOKS_LIKE),  # Cyrillic А, case-insensitively alice
        ("p\u0430ypal", LOOKS_LIKE),  # mixed scripts, no such member needed
        ("\u0440\u043e\u0435", LOOKS_LIKE),  # all Cyrillic "рое", looks like "poe"
        ("\uff41lice", "already exists"),  # fullwidth ａ: Django folds it (NFKC) to alice
    ],
)
def test_look_alike_usernames_are_refused(client, member, username, error):
    UserFactory(username="poe")
    count = User.objects.count()
    response = sign_up(client, username, "x@example.org")
    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.count() == count


@pytest.mark.parametrize("username", ["jürgen", "Zoë", "иван", "bob_42"])
def test_names_in_one_alphabet_are_welcome(client, username):
    response = sign_up(client, username, "y@example.org")
    assert response.status_code == 302
    assert User.objects.filter(username=username).exists()
