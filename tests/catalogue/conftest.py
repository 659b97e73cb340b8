"""Fixtures of the catalogue tests."""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def real_catalogue(django_db_setup, django_db_blocker):
    """The real catalogue (fixtures/), loaded once per test module inside a transaction
    rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_catalogue", verbosity=0)
        yield
        transaction.set_rollback(True)
