"""The FTS5 query built from what people type: words only, quoted, never FTS5 syntax
(pure functions: these run on both databases)."""

import pytest

from catalogue.search_sqlite import match_expression


@pytest.mark.parametrize(
    ("q", "expression"),
    [
        ("whisper", '("whisper"*)'),
        ("openai whisper", '("openai" AND "whisper"*)'),
        ('"weekly interviews" or riva', '("weekly interviews" OR "riva"*)'),
        ("toolkit -conversational", '("toolkit") NOT "conversational"'),
        ('-"a b" speech', '("speech"*) NOT "a b"'),
        ("the whisper of", '("whisper"*)'),  # stop words go, as on PostgreSQL
        ("wav2vec 2.0", '("wav2vec" AND "2 0"*)'),
        ("NEAR(whisper model)", '("near whisper" AND "model"*)'),
        ("title:whisper", '("title whisper"*)'),
        ('"unclosed phrase', '("unclosed phrase")'),
    ],
)
def test_queries_become_quoted_words(q, expression):
    assert match_expression(q) == expression


@pytest.mark.parametrize("q", ["", "-whisper", "*", "^", "(", ")", '"', "or", "the", "%%%"])
def test_nothing_to_search_is_none(q):
    assert match_expression(q) is None


def test_at_most_twelve_words():
    assert match_expression(" ".join(f"w{n}" for n in range(30))).count('"') == 24
