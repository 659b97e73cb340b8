"""The catalogue's common words as bit sets, so a search for them reads no matches.

A word found in thousands of entries ("speech" is in 80 % of a 100,000-entry catalogue)
is the costly search on PostgreSQL: fetching its matches for the facet counts reads and
rechecks every one of them, and ranking them reads them again. Here every lexeme found in
at least ``ASRHUB_SEARCH_COMMON_WORDS`` published entries gets two bit sets over the
facet index's positions: the entries whose search vector has it, and those that have it
with weight A (title or aliases). A plain query of common words ("speech recognition")
then becomes bit operations; a word that is not common is rare by definition, and the
GIN index answers it cheaply, so those queries keep the SQL path.

The last word of a query is matched as a prefix ("speech" finds "speechbrain"): its bit
set also takes the common words that extend it, and the rare words that extend it are
listed (``extensions``) so one cheap query for them completes the set.

Built with the facet index (one ``GROUP BY`` over the vectors' lexemes) and patched with
it when entries change; PostgreSQL only (SQLite's FTS5 answers from its own index).
"""

from __future__ import annotations

import re
import struct
import sys
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.db.models.sql import Query

INT4_OID, INT8_OID = 23, 20  # PostgreSQL's type ids of int4 and int8 (array_send)
# A common word with more rare extensions than this answers its prefix search in SQL.
MAX_EXTENSIONS = 200
TERM = re.compile(r"'((?:[^']|'')+)'(:\*)?")


def common_minimum() -> int:
    return settings.ASRHUB_SEARCH_COMMON_WORDS


class BitIndex(Protocol):
    """What searching needs of the facet index (``facet_index.FacetIndex``): its
    published resources' bit set, their bit set by primary key, and the word bit sets."""

    published: int
    words: WordBits | None

    def mask_of(self, pks: Iterable[int]) -> int: ...


@dataclass
class WordBits:
    """Bit sets of the common lexemes: anywhere in the vector, and in the title/aliases."""

    minimum: int
    words: dict[str, int] = field(default_factory=dict)
    titles: dict[str, int] = field(default_factory=dict)
    # Common lexeme -> the rare lexemes that start with it (None: too many to list).
    extensions: dict[str, list[str] | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.words)

    def term_masks(self, lexeme: str, prefix: bool) -> tuple[int, int, list[str]] | None:
        """The bit sets (anywhere, in titles) of one query term, and the rare lexemes
        whose entries must be added to the first; None when the term is not common."""
        found = self.words.get(lexeme)
        if found is None:
            return None
        titled = self.titles.get(lexeme, 0)
        if not prefix:
            return found, titled, []
        rare = self.extensions.get(lexeme)
        if rare is None:
            return None
        for other, bits in self.words.items():
            if other != lexeme and other.startswith(lexeme):
                found |= bits
                titled |= self.titles.get(other, 0)
        return found, titled, rare


def parse_tsquery(text: str) -> list[tuple[str, bool]] | None:
    """``'speech' & 'recognit':*`` as [("speech", False), ("recognit", True)]; None for
    any other shape (or, not, phrases, weights), which the bit sets do not answer."""
    terms = []
    for part in text.split(" & "):
        found = TERM.fullmatch(part.strip())
        if found is None:
            return None
        terms.append((found.group(1).replace("''", "'"), bool(found.group(2))))
    return terms or None


def _quoted(lexemes: Iterable[str]) -> str:
    return " | ".join(
        "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes
    )


def ids_from_array_send(data: bytes | None) -> Sequence[int]:
    """The integers of a one-dimensional PostgreSQL array in its binary form
    (``array_send``), without a Python object per element when they fit in 32 bits.

    The form: ndim, has-nulls, element type, then per dimension its length and lower
    bound (int32 each, big-endian); then per element its byte length and its value.
    """
    if not data:
        return []
    ndim, _nulls, element = struct.unpack_from(">iiI", data)
    if ndim != 1:
        return []
    width = {INT4_OID: 1, INT8_OID: 2}[element]  # 32-bit words per value
    words = memoryview(data)[20:].cast("I")  # length word, then the value's words
    low = array("I", words[width :: width + 1].tobytes())
    if sys.byteorder == "little":
        low.byteswap()
    if width == 2:
        high = words[1::3].tobytes()
        if high.count(0) != len(high):  # a value of 2**32 or more: decode them all
            return [value for _length, value in struct.iter_unpack(">iq", data[20:])]
    return low


def rare_ids(table: str, lexemes: Sequence[str]) -> Sequence[int]:
    """The ids whose vector has any of ``lexemes`` (already normalised: no stemming)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT array_send(array_agg(id)) FROM {table} WHERE search_vector @@ %s::tsquery",  # noqa: S608 - the table name comes from the model
            [_quoted(lexemes)],
        )
        return ids_from_array_send(cursor.fetchone()[0])


def build(table: str, mask_of: Callable[[Iterable[int]], int]) -> WordBits:
    """One query over every vector's lexemes: the common ones with their ids, then the
    rare ones by name (to list the extensions of the common ones).

    Read through a server-side cursor, a few rows at a time: the common words' id arrays
    are up to a megabyte each at 100,000 resources (129 words: 130 MB all at once).
    """
    minimum = common_minimum()
    result = WordBits(minimum)
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            "SELECT u.lexeme, count(*) >= %s,"  # noqa: S608 - the table name comes from the model
            " CASE WHEN count(*) >= %s THEN array_send(array_agg(r.id)) END,"
            " CASE WHEN count(*) >= %s THEN array_send(array_agg(r.id)"
            " FILTER (WHERE 'A' = ANY(u.weights))) END"
            f" FROM {table} r CROSS JOIN LATERAL unnest(r.search_vector) AS u"
            " GROUP BY u.lexeme ORDER BY 2 DESC",
            [minimum, minimum, minimum],
        )
        commons_done = False
        # A common word's row holds two arrays of up to 1 MB each: few rows at a time
        # until the rare words' (a name each) come.
        while rows := cursor.fetchmany(2000 if commons_done else 4):
            rare = []
            for lexeme, common, anywhere, titled in rows:
                if common:
                    result.words[lexeme] = mask_of(ids_from_array_send(anywhere))
                    result.titles[lexeme] = mask_of(ids_from_array_send(titled))
                else:
                    rare.append(lexeme)
            if rare and not commons_done:
                commons_done = True
                only_published(result)
            add_extensions(result, rare)
    if not commons_done:
        only_published(result)
    return result


def only_published(result: WordBits) -> None:
    """Drops the words common only with unpublished entries; lists the extensions."""
    minimum = result.minimum
    for lexeme in [w for w, bits in result.words.items() if bits.bit_count() < minimum]:
        del result.words[lexeme], result.titles[lexeme]
    result.extensions = {lexeme: [] for lexeme in result.words}


def add_extensions(result: WordBits, lexemes: Iterable[str]) -> None:
    """Lists each lexeme under the common words it extends (not a common word itself)."""
    extensions = result.extensions
    for lexeme in lexemes:
        if lexeme in result.words:
            continue
        for end in range(len(lexeme) - 1, 0, -1):
            listed = extensions.get(lexeme[:end], False)
            if listed is False or listed is None:
                continue
            if lexeme not in listed:
                listed.append(lexeme)
                if len(listed) > MAX_EXTENSIONS:
                    extensions[lexeme[:end]] = None


def patched(
    words: WordBits,
    table: str,
    changed: Sequence[int],
    clear: int,
    bit_of: Callable[[int], int | None],
) -> WordBits:
    """``words`` with the bits of the ``changed`` entries re-read (``clear`` has their
    old bits unset; ``bit_of`` gives a published entry's new bit, None otherwise)."""
    new = WordBits(
        words.minimum,
        {lexeme: bits & clear for lexeme, bits in words.words.items()},
        {lexeme: bits & clear for lexeme, bits in words.titles.items()},
        {
            lexeme: None if found is None else list(found)
            for lexeme, found in words.extensions.items()
        },
    )
    if not changed:
        return new
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id, u.lexeme, 'A' = ANY(u.weights) FROM {table} r"  # noqa: S608 - the table name comes from the model
            " CROSS JOIN LATERAL unnest(r.search_vector) AS u WHERE r.id = ANY(%s)",
            [list(changed)],
        )
        rows = cursor.fetchall()
    seen = []
    for pk, lexeme, in_title in rows:
        bit = bit_of(pk)
        if bit is None:
            continue
        if lexeme in new.words:
            new.words[lexeme] |= 1 << bit
            if in_title:
                new.titles[lexeme] |= 1 << bit
        else:
            seen.append(lexeme)
    add_extensions(new, seen)
    return new


def tsquery_text(query, model: type[Model]) -> str:
    """``query`` (a SearchQuery) as PostgreSQL normalises it: "'speech' & 'recognit':*"."""
    holder = Query(model)
    compiler = holder.get_compiler(connection=connection)
    sql, params = compiler.compile(query.resolve_expression(holder))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({sql})::text", params)  # noqa: S608 - compiled by the ORM
        return cursor.fetchone()[0]


def text_masks(index: BitIndex, query, model: type[Model]) -> tuple[int, int] | None:
    """What ``query`` matches among the published entries of ``index`` (a FacetIndex
    with words), and where it matches their titles or aliases; None unless the query is
    a plain AND of common words (then SQL answers it: a rare word makes it cheap there).

    One small query normalises the words; a prefix with rare extensions adds one more,
    for the entries of those few words.
    """
    terms = parse_tsquery(tsquery_text(query, model))
    if terms is None:
        return None
    found = titled = index.published
    for lexeme, prefix in terms:
        masks = index.words.term_masks(lexeme, prefix)
        if masks is None:
            return None
        term_found, term_titled, rare = masks
        if rare:
            term_found |= index.mask_of(rare_ids(model._meta.db_table, rare))
        found &= term_found
        titled &= term_titled
    return found, titled & found


def highest_bits(mask: int, count: int) -> list[int]:
    """Up to ``count`` of the set bits of ``mask``, highest first."""
    digits = bin(mask)
    top = len(digits) - 3  # the bit the first digit after "0b" stands for
    found = []
    at = digits.find("1", 2)
    while at != -1 and len(found) < count:
        found.append(top - (at - 2))
        at = digits.find("1", at + 1)
    return found


def preorder(found: int, titled: int, active: int, sunk: int, count: int) -> list[int]:
    """Up to ``count`` bits of ``found`` in the cheap order that bounds the ranking of
    a search with very many matches: title or alias matches first, then the others,
    sunk entries (retired, archived) last; active entries first in each, newest (the
    highest bit) first within that. The ranking then orders only these."""
    chosen: list[int] = []
    for group in (found & titled & ~sunk, found & ~titled & ~sunk, found & sunk):
        for part in (group & active, group & ~active):
            chosen += highest_bits(part, count - len(chosen))
            if len(chosen) >= count:
                return chosen
    return chosen
