"""Numbers read with thousands separators everywhere ("about 60,000 stars")."""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from catalogue.fragments import facet_options
from tests.factories import EventFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_a_resource_page_groups_its_audience_size(client):
    resource = ResourceFactory(audience_size=60000, audience_unit="stars")
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "about 60,000 stars" in html


def test_an_event_page_groups_its_typical_size(client):
    event = EventFactory(typical_size=12500)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "about 12,500 attendees" in html


def test_facet_counts_are_grouped():
    facet = {
        "name": "kind",
        "options": [{"value": "blog", "label": "Blog", "count": 12345, "selected": False}],
    }
    assert '<span class="count">12,345</span>' in facet_options(facet)


def test_the_result_count_and_pages_are_grouped():
    request = RequestFactory().get("/resources/")
    request.htmx = True
    page_obj = Paginator(range(123456), 20).page(1000)
    html = render_to_string(
        "catalogue/partials/search_status.html",
        {"page_obj": page_obj, "noun": "resource", "request": request},
    )
    assert "<strong>123,456</strong> resources" in html
    assert "page 1,000 of 6,173" in html
    assert 'hx-swap-oob="innerHTML">123,456 resources</p>' in html
