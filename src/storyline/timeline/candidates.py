"""The material a timeline is made from: articles, their sentences, and the dates they name.

Why one pass that indexes every expression up front: date ranking needs, for every calendar
day, who mentions it and who was published on it; sentence selection needs, for a chosen day,
the sentences that name it and the leads published on it. Reading the expressions and article
heads once and indexing both ways keeps a 1,500-article timeline well under a second. The
sentences' texts may wait (:func:`read_pool` with ``texts=False``, what stories and queries
do): dates ranked by counts read none, and the chosen dates' candidates are a few thousand of
a large story's 60,000 lead and dated sentences (:meth:`Pool.fill`).

Only DATE/TIME expressions with a day, month or year value are used; weeks, seasons, durations,
``PRESENT_REF`` and underspecified ``XXXX-…`` values say too little to place an event.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from storyline.records import Article, Sentence, date_label
from storyline.store.base import Store, article_order

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|T)")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")

_DATELINE = re.compile(
    r"^(?:[^|]{0,60}\|[^-]{0,80}?)?(?:[A-Z][A-Za-z .,'/-]{1,40}\s*,?\s*)?"
    r"(?:[A-Z][a-z]{2}\.? \d{1,2}\s*)?(?:-LRB-|\()\s*"
    r"(?:Reuters|AP|AFP|CNN|Bloomberg|UPI|PA|Xinhua|dpa)\s*(?:-RRB-|\))\s*(?:--?|—|–|:)\s*"
)
"""A wire dateline opening a sentence ("WASHINGTON (Reuters) - ", "NEW ORLEANS | Tue Jun 1 …")."""

Key = tuple[int, int]
"""A sentence's address in a :class:`Pool`: (article position, sentence index)."""


@lru_cache(maxsize=65_536)
def parse_value(value: str) -> tuple[date, str] | None:
    """A TimeML value as (first day, granularity), or None when it names no calendar unit.

    Cached: a story's expressions name the same few hundred values tens of thousands of times
    (parsing them was a tenth of refreshing a 20,000-article store's timelines)."""
    try:
        if m := _DAY.match(value):
            return date(int(m[1]), int(m[2]), int(m[3])), "day"
        if m := _MONTH.match(value):
            return date(int(m[1]), int(m[2]), 1), "month"
        if m := _YEAR.match(value):
            return date(int(m[1]), 1, 1), "year"
    except ValueError:  # 2010-02-30 from a careless source: not a date
        return None
    return None


@dataclass(slots=True)
class Pool:
    """Articles of a timeline indexed by the dates they mention and the dates they appeared.

    ``mentions[granularity][d]`` lists the sentences (by :data:`Key`) whose expressions name
    ``d`` at that granularity; ``published[d]`` lists articles published on ``d``.
    ``sentence_dates[key]`` holds the day-level dates a sentence names (for leads, so a lead
    that speaks of another day is not taken as news of its publication day).
    ``coarse_published[granularity][first day]`` lists the articles whose date is known only to
    that month or year (an undated article's estimate): they name no day, but their leads are
    the news of that month or year.
    """

    articles: list[Article]
    sentences: list[list[Sentence]]
    duplicate: list[bool]
    mentions: dict[str, dict[date, list[Key]]] = field(default_factory=dict)
    published: dict[date, list[int]] = field(default_factory=dict)
    sentence_dates: dict[Key, set[date]] = field(default_factory=dict)
    coarse_published: dict[str, dict[date, list[int]]] = field(default_factory=dict)
    _sources: list[str] | None = field(default=None, repr=False, compare=False)
    _held: dict[int, dict[int, Sentence]] = field(default_factory=dict, repr=False, compare=False)
    _asked: set[Key] = field(default_factory=set, repr=False, compare=False)
    reader: Store | None = field(default=None, repr=False, compare=False)
    """Where the texts come from when the pool was read without them (:func:`read_pool` with
    ``texts=False``): :meth:`fill` reads those a step needs. None: every text it will be
    asked for is held."""

    def fill(self, keys: Iterable[Key]) -> None:
        """Read the sentences at ``keys`` (those that exist) that a pool read without texts
        does not hold yet; nothing for a pool that holds its texts.

        Why: a timeline ranks dates from its expressions and counts alone, then reads the
        few thousand candidates of the dates it chose, not the 60,000 lead and dated
        sentences of a 2,000-article story (the read was most of refreshing its timeline).
        Every key a step then asks for is among those it filled, so the timeline is the one
        a pool holding every sentence gives."""
        if self.reader is None:
            return
        asked = self._asked
        missing = [k for k in dict.fromkeys(keys) if k not in asked]
        if not missing:
            return
        asked.update(missing)
        found = self.reader.sentences_at([(self.articles[p].id, i) for p, i in missing])
        position = {self.articles[p].id: p for p, _ in missing}
        for article, sentences in found.items():
            p = position[article]
            merged = {s.index: s for s in self.sentences[p]}
            merged.update((s.index, s) for s in sentences)
            self.sentences[p] = [merged[i] for i in sorted(merged)]
            self._held.pop(p, None)

    def lead_keys(self, position: int, count: int) -> list[Key]:
        """The addresses of the article's first ``count`` sentences (whether or not it has
        that many): what :meth:`fill` reads before :meth:`leads` is asked of a pool read
        without texts."""
        return [(position, i) for i in range(count)]

    def sentence(self, key: Key) -> Sentence:
        sentence = self.find(key)
        if sentence is None:
            raise KeyError(key)
        return sentence

    def find(self, key: Key) -> Sentence | None:
        """The sentence at ``key``, or None when the pool holds none there.

        An article's list holds every sentence (``sentences[p][i]`` is sentence i) unless the
        pool was read without texts: then only those :meth:`fill` read, in order, looked for
        by index."""
        found = self.sentences[key[0]]
        index = key[1]
        if 0 <= index < len(found) and found[index].index == index:
            return found[index]
        held = self._held.get(key[0])
        if held is None:  # a filled article, first asked for: index it once
            held = self._held[key[0]] = {s.index: s for s in found}
        return held.get(index)

    def leads(self, position: int, count: int) -> list[Sentence]:
        """The article's first ``count`` sentences (those with an index below ``count``)."""
        return [s for s in self.sentences[position][:count] if s.index < count]

    def span(self, key: Key) -> tuple[str, int, int]:
        """The sentence's text without a leading wire dateline, and its character span.

        Why: "WASHINGTON (Reuters) - BP said …" says "BP said …" plus a byline; the citation
        points at exactly the characters shown, so the trimmed text is still verbatim.
        """
        sentence = self.sentence(key)
        match = _DATELINE.match(sentence.text)
        if match is None or match.end() >= len(sentence.text):
            return sentence.text, sentence.start, sentence.end
        return sentence.text[match.end() :], sentence.start + match.end(), sentence.end

    def published_on(self, key: Key) -> date | None:
        return self.articles[key[0]].published

    @property
    def sources(self) -> list[str]:
        """A source label per article: its outlet name, else the folder it came from.

        Computed once per pool (the date ranker asks five times; each parsed every path)."""
        if self._sources is None or len(self._sources) != len(self.articles):
            self._sources = [source_label(a.source_name, a.source) for a in self.articles]
        return self._sources


def source_label(source_name: str | None, source: str) -> str:
    """An article's outlet name, else the folder it came from ("" when it has neither)."""
    return source_name or _folder(source)


def _folder(source: str) -> str:
    return _folder_of(source.split("#", 1)[0])


@lru_cache(maxsize=65_536)
def _folder_of(path: str) -> str:
    """Cached: the articles of one file (``corpus.jsonl#line 7``) or folder share a path, and a
    large story's coverage asked for it once per article."""
    path = path.replace("\\", "/")
    parts = [p for p in path.split("/") if p]
    if "InputDocs" in parts:  # Timeline17: <Topic>_<outlet>/InputDocs/<date>/<n>.htm.txt
        return parts[parts.index("InputDocs") - 1]
    return parts[-2] if len(parts) >= 2 else ""


def load_pool(
    store: Store,
    article_ids: Sequence[str],
    articles: list[Article] | None = None,
) -> Pool:
    """Read the articles, every sentence and the expressions of ``article_ids`` and index them
    (what a person choosing an entry may pick from; a timeline reads with ``texts=False``).

    ``articles``: these articles as ``store.articles(ids=article_ids)`` returns them, when the
    caller has just read them (a story's timeline did read every article twice)."""
    return read_pool(store, article_ids, articles)[0]


ID_CHUNK = 20_000
"""Article ids per ``store.articles(ids=...)`` call: SQLite binds at most 32,766 parameters."""


def articles_of(
    store: Store,
    article_ids: Sequence[str],
    since: date | None = None,
    until: date | None = None,
) -> list[Article]:
    """These articles (each once) without their bodies, those published within ``since``..
    ``until`` when given, ``ID_CHUNK`` ids per read, each chunk in the store's article order.

    Why heads (:meth:`Store.article_heads`): a timeline reads sentences, dates, sources and
    titles, never an article's text; reading 2,000 bodies to drop them cost twice the read."""
    ids = list(dict.fromkeys(article_ids))
    out: list[Article] = []
    for i in range(0, len(ids), ID_CHUNK):
        heads = [
            a
            for a in store.article_heads(ids[i : i + ID_CHUNK])
            if (since is None and until is None)
            or (
                a.published is not None
                and (since is None or a.published >= since)
                and (until is None or a.published <= until)
            )
        ]
        out.extend(sorted(heads, key=article_order))
    return out


def stable_sample(
    store: Store,
    article_ids: Sequence[str],
    limit: int,
    since: date | None = None,
    until: date | None = None,
) -> tuple[list[str], int]:
    """At most ``limit`` of these articles (those published within ``since``..``until`` when
    given): the ones whose ids hash lowest; and how many there were in all.

    Why a hash and not every n-th article in publication order: the sample of a story that
    grows changes only where the story does. An article joins it only when its hash is among
    the ``limit`` lowest (about ``limit / size`` of new articles do), so after a small ingest
    most large stories' samples, and so their timelines, are exactly what they were, and a
    refresh need not recompute them (``timeline.story_timeline``). Every n-th article of a
    sorted list shifted all the picks after each insertion. The hash is uniform, so each day
    keeps its share of the coverage on average, which is what days are ranked by; it is the
    same on every run and machine. Publication dates are read only to apply a window.
    """
    ids = list(dict.fromkeys(article_ids))
    if since is not None or until is not None:
        published = store.published_dates(ids)
        ids = [
            i
            for i in ids
            if (day := published.get(i)) is not None
            and (since is None or day >= since)
            and (until is None or day <= until)
        ]
    if len(ids) <= limit:
        return ids, len(ids)
    # nsmallest keeps ``limit`` keys, where sorting made one per member (a 225,000-article
    # story's were tens of megabytes); the result is the sorted list's first ``limit``.
    return heapq.nsmallest(limit, ids, key=_sample_key), len(ids)


def _sample_key(article_id: str) -> tuple[bytes, str]:
    """Where an article ranks in :func:`stable_sample` (ties, never expected, by id)."""
    return hashlib.blake2b(article_id.encode(), digest_size=8).digest(), article_id


DatedTimexes = dict[str, list[tuple[int, str]]]
"""Per article id, (sentence index, value) of its DATE/TIME expressions (``Store.dated_timexes``)."""


def read_pool(
    store: Store,
    article_ids: Sequence[str],
    articles: list[Article] | None = None,
    texts: bool = True,
) -> tuple[Pool, DatedTimexes]:
    """:func:`load_pool`, and the expressions it read, from which a story's first reports are
    indexed too (:func:`storyline.timeline.firsts.mentions_pool`) without reading them again.

    ``texts=False``: no sentence is read now; the pool reads from ``store`` the texts a step
    asks it for (:meth:`Pool.fill`). Dates ranked by counts read no text, so a timeline then
    reads only its chosen dates' candidates (a third of a story's lead and dated sentences
    were read before; all of them before that)."""
    if articles is None:
        articles = articles_of(store, article_ids)
    present = [a.id for a in articles]
    timexes = store.dated_timexes(present)
    sentences = store.sentences(present) if texts else {}
    pool = Pool(
        articles=articles,
        sentences=[sentences.get(a.id, []) for a in articles],
        duplicate=[a.duplicate_of is not None for a in articles],
        mentions={"day": defaultdict(list), "month": defaultdict(list), "year": defaultdict(list)},
        published=defaultdict(list),
        reader=None if texts else store,
    )
    for position, article in enumerate(articles):
        if article.published is not None:
            granularity = article.date_granularity or "day"
            if granularity == "day":
                pool.published[article.published].append(position)
            elif (unit := parse_value(date_label(article.published, granularity))) is not None:
                # a month or year estimate is stored at a day nobody knows: it names no day,
                # only its month or year (keyed like a mention of it: its first day)
                coarse = pool.coarse_published.setdefault(unit[1], {})
                coarse.setdefault(unit[0], []).append(position)
        _index_timexes(pool, position, timexes.get(article.id, []), texts)
    return pool, timexes


def _index_timexes(
    pool: Pool, position: int, timexes: Sequence[tuple[int, str]], held_only: bool = True
) -> None:
    """Index one article's (sentence index, value) pairs (DATE/TIME, in a sentence).

    ``held_only``: only those in a sentence the pool holds (it holds every sentence, sentence
    i at i); a pool read without texts indexes all (each names a stored sentence)."""
    count = len(pool.sentences[position])
    mentions = pool.mentions
    sentence_dates = pool.sentence_dates
    for index, value in timexes:
        if held_only and not 0 <= index < count:
            continue
        parsed = parse_value(value)
        if parsed is None:
            continue
        when, granularity = parsed
        key = (position, index)
        bucket = mentions[granularity][when]
        if not bucket or bucket[-1] != key:
            bucket.append(key)
        if granularity == "day":
            sentence_dates.setdefault(key, set()).add(when)


__all__ = [
    "ID_CHUNK",
    "DatedTimexes",
    "Key",
    "Pool",
    "articles_of",
    "load_pool",
    "parse_value",
    "read_pool",
    "source_label",
    "stable_sample",
]
