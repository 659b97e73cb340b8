"""The curators' resource list fits a 1366 px screen without scrolling sideways."""

import pytest

from catalogue.models import Resource
from tests.factories import ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def resources():
    long_kinds = [Resource.Kind.MEETUP, Resource.Kind.ORGANISATION, Resource.Kind.BENCHMARK]
    for n in range(12):
        ResourceFactory(
            title=f"ACL — Association for Computational Linguistics {n}",
            kind=long_kinds[n % 3],
            is_featured=n % 2 == 0,
            needs_review=True,
            status=Resource.Status.RETIRED if n == 1 else Resource.Status.ACTIVE,
            feed_url="https://example.org/feed.xml",
            feed_error_count=12,
            link_health=Resource.LinkHealth.DEAD,
        )


def test_the_resource_change_list_fits_at_1366_px(browser, live_server, resources):
    UserFactory(username="curator", is_staff=True, is_superuser=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/catalogue/resource/")
    results = page.locator(".results")
    overflow = results.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0, f"the table scrolls sideways by {overflow}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    # The short columns keep to one line.
    heights = page.locator("#result_list td.field-kind").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().height)"
    )
    title_row = page.locator("#result_list tbody tr").first.bounding_box()["height"]
    assert max(heights) <= title_row
    context.close()
