"""Readable at 360 px without sideways scrolling, and dark mode follows the system."""

import pytest

from tests.factories import (
    CategoryFactory,
    EventFactory,
    ResourceFactory,
    StarterPackFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pages():
    category = CategoryFactory(name="Communities", parent=CategoryFactory(name="Top"))
    topic = TopicFactory(name="Speaker diarization")
    resource = ResourceFactory(
        title="A rather long resource title about multilingual speech recognition",
        summary="A summary long enough to wrap over several lines on a small phone screen.",
        categories=[category],
        topics=[topic],
    )
    EventFactory(name="INTERSPEECH")
    StarterPackFactory(title="Recommended Starter Pack", visibility="public", is_featured=True)
    return ["/", "/resources/?q=speech", resource.get_absolute_url(), "/events/", "/packs/"]


def test_no_sideways_scrolling_at_360_px(browser, live_server, pages):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in pages:
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360 px"
    context.close()


def test_dark_mode_follows_the_system(browser, live_server, pages):
    def background(scheme: str) -> str:
        context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
        page = context.new_page()
        page.goto("/")
        colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
        return colour

    light, dark = background("light"), background("dark")
    assert light != dark
    red, green, blue = (int(part) for part in dark[dark.index("(") + 1 : -1].split(",")[:3])
    assert red + green + blue < 150, dark
