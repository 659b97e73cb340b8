"""Fixtures for the river: a small river (the local feed server is ``server``)."""

import pytest

from tests.factories import FollowFactory, PostFactory, ResourceFactory


@pytest.fixture
def followed(member):
    """Two sources the member follows, with two posts each, and one shared post."""
    blog = ResourceFactory(slug="blog", title="Speech Blog", feed_url="https://b.example/f")
    pod = ResourceFactory(slug="pod", title="Speech Pod", feed_url="https://p.example/f")
    FollowFactory(user=member, resource=blog)
    FollowFactory(user=member, resource=pod)
    return blog, pod


@pytest.fixture
def river(followed):
    blog, pod = followed
    return {
        "blog-1": PostFactory(title="Whisper fine-tuning notes", sources=[blog]),
        "blog-2": PostFactory(title="CTC decoding tricks", sources=[blog]),
        "pod-1": PostFactory(title="Episode on diarization", sources=[pod]),
        "shared": PostFactory(title="Shared announcement", sources=[blog, pod]),
    }
