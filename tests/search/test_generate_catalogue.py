"""manage.py generate_catalogue: synthetic entries for the benchmarks."""

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import Resource
from tests.factories import CategoryFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_it_needs_a_taxonomy():
    with pytest.raises(CommandError):
        call_command("generate_catalogue", "--resources", "5", stdout=None)


def test_it_creates_tops_up_and_deletes(capsys):
    parent = CategoryFactory()
    for _ in range(3):
        CategoryFactory(parent=parent)
        TopicFactory()
    call_command("generate_catalogue", "--resources", "30", "--batch", "7")
    synthetic = Resource.objects.filter(slug__startswith="synthetic-")
    assert synthetic.count() == 30
    assert synthetic.filter(categories__isnull=True).count() == 0
    assert synthetic.filter(topics__isnull=True).count() == 0
    assert synthetic.values("kind").distinct().count() > 3
    assert len(set(synthetic.values_list("title", flat=True))) == 30
    call_command("generate_catalogue", "--resources", "40")
    assert synthetic.count() == 40
    call_command("generate_catalogue", "--delete")
    assert not synthetic.exists()
