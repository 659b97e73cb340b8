"""The relevance set (tests/search/relevance.yaml) on the real catalogue, on whichever
database the suite runs on: hit@3 >= 0.9 and MRR >= 0.8 (bench/relevance.py prints
the figures and the misses)."""

import pytest
from django.core.management import call_command

from bench.relevance import BAR, evaluate, load_cases, score
from catalogue.models import Resource

pytestmark = pytest.mark.django_db


def test_search_meets_the_relevance_bar(client):
    call_command("load_catalogue", verbosity=0)  # one load for both checks (slow-ish)
    cases = load_cases()
    assert len(cases) >= 40
    assert all(case["top"] in (1, 3) for case in cases)
    # Every expected entry is in the catalogue fixtures.
    expected = {slug for case in cases for slug in case["expect"]}
    assert expected <= set(Resource.objects.values_list("slug", flat=True))
    report = evaluate(client, cases)
    assert report["hit@3"] >= BAR["hit@3"], report
    assert report["mrr"] >= BAR["mrr"], report


def test_the_scores_count_what_they_say():
    cases = [
        {"q": "a", "top": 1, "expect": ["x"]},
        {"q": "b", "top": 3, "expect": ["y", "z"]},
        {"q": "c", "top": 1, "expect": ["w"]},
    ]
    report = score(cases, {"a": ["x", "y"], "b": ["q", "r", "z"], "c": ["q"] * 10 + ["w"]})
    assert report["hit@1"] == round(1 / 3, 3)
    assert report["hit@3"] == round(2 / 3, 3)
    assert report["mrr"] == round((1 + 1 / 3 + 0) / 3, 3)
    assert [miss["q"] for miss in report["misses"]] == ["c"]
