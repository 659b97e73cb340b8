import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, ResourceFactory


@pytest.mark.django_db
def test_it_shows_categories_with_counts_on_home(client):
    parent = CategoryFactory(name="Communities")
    child = CategoryFactory(name="Discord servers", parent=parent)
    ResourceFactory(title="Hugging Face Discord", categories=[parent, child])
    ResourceFactory(title="Hidden", categories=[child], is_published=False)
    response = client.get(reverse("catalogue:home"))
    assert response.status_code == 200
    categories = response.context["categories"]
    assert [(c.name, c.count, [k.count for k in c.child_list]) for c in categories] == [
        ("Communities", 1, [1])
    ]


@pytest.mark.django_db
def test_it_answers_healthz_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.json() == {"status": "ok", "cache": "in-process"}


@pytest.mark.django_db
def test_it_runs_a_constant_number_of_queries_on_home(client, django_assert_max_num_queries):
    parent = CategoryFactory()
    for i in range(12):
        ResourceFactory(categories=[CategoryFactory(parent=parent)], title=f"R{i}")
    # Categories, counts, newest, featured packs, conferences, deadlines, the one just passed…
    with django_assert_max_num_queries(9):
        response = client.get(reverse("catalogue:home"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_refuses_to_post_to_home(client):
    assert client.post(reverse("catalogue:home")).status_code == 405


@pytest.mark.django_db
def test_it_renders_markdown_descriptions_sanitised(client):
    resource = ResourceFactory(description="**bold** <script>alert(1)</script>")
    content = client.get(resource.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in content
    assert "<script>alert" not in content
