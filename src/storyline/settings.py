"""Every tunable of storyline as data: typed, frozen configs, one per stage, passed per call.

Why configs and not a global table: a setting that is chosen by its score (a timeline weight, a
story threshold) must be chosen again inside each fold of a leave-one-topic-out evaluation, and
a notebook or a server may want two settings side by side. So each stage takes its config as an
argument (``build_timeline(..., config=TimelineConfig(graph_weight=0.3))``) and ``Corpus`` holds
one :class:`Config`. The *defaults* stay global and documented: ``docs/settings.md`` is generated
from the fields' defaults and help (``storyline settings --markdown``), and a test keeps the two
identical. Nothing is tuned per topic or per file, and nothing reads a setting at import time.

A config is validated on construction: a wrong type or an out-of-range value raises
:class:`ValueError` naming the field, so a bad override fails before any work is done.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


def setting(
    default: Any,
    help: str,
    *,
    low: float = 0.0,
    high: float | None = None,
    choices: tuple[str, ...] = (),
) -> Any:
    """A config field: its default, why it has that value, and its valid range or choices."""
    return field(
        default=default, metadata={"help": help, "low": low, "high": high, "choices": choices}
    )


class _Validated:
    """Checks every field's type and range after construction (frozen dataclasses call it)."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            kind = type(f.default)
            where = f"{type(self).__name__}.{f.name}"
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, f.name, float(value))
                value = float(value)
            if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
                raise ValueError(f"{where} must be {kind.__name__}, not {value!r}")
            if kind is str:
                if value not in f.metadata["choices"]:
                    options = ", ".join(f.metadata["choices"])
                    raise ValueError(f"{where} must be one of {options}, not {value!r}")
                continue
            low, high = f.metadata["low"], f.metadata["high"]
            if value < low or (high is not None and value > high):
                bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
                raise ValueError(f"{where} must be {bounds}, not {value!r}")
        for low_name, high_name in self._ordered:
            if getattr(self, low_name) > getattr(self, high_name):
                name = type(self).__name__
                raise ValueError(f"{name}.{low_name} must not exceed {name}.{high_name}")

    _ordered: tuple[tuple[str, str], ...] = ()
    """Pairs of fields (low, high) whose values must come in that order."""


@dataclass(frozen=True, slots=True)
class IngestConfig(_Validated):
    """Reading, deduplicating and language-tagging articles (sources/, text/, ingest)."""

    max_article_bytes: int = setting(
        5_000_000,
        "A single article larger than this (bytes) is skipped: no news report is 5 MB of text, so "
        "such a file is a dump or a mistake, and splitting it would stall the ingest.",
    )
    min_article_chars: int = setting(
        20,
        "Bodies shorter than this (after whitespace is folded) are skipped as empty.",
        low=1,
    )
    near_duplicate_threshold: float = setting(
        0.9,
        "Estimated Jaccard similarity of word 5-shingles (MinHash) at or above which a new "
        "article is linked to an earlier one as its near-duplicate (wire copies, re- "
        "publications).",
        high=1.0,
    )
    minhash_permutations: int = setting(
        128,
        "MinHash permutations: 128 keeps the Jaccard estimate within about ±0.09 at 95%.",
        low=16,
    )
    max_file_bytes: int = setting(
        200_000_000,
        "A JSON document, HTML page or feed (read whole) larger than this (bytes) is skipped; "
        "JSONL and CSV are streamed record by record and have no file limit, only the per-article "
        "one. Large collections belong in JSONL.",
    )
    max_days_ahead: int = setting(
        1,
        "A publication date more than this many days after the day of the ingest is not one (a "
        "typo such as 2099, a mangled timestamp, an event's date in a page's metadata): it is "
        "dropped with a warning and the article is dated from its text and story like any "
        "undated one. One day allows for writers in time zones ahead of this machine's. Left "
        "in, such a date ends every story's span in the future and, through the second pass, "
        "dates undated articles near it.",
    )
    split_item_pages: bool = setting(
        False,
        "Store each item of a page of several news items as an article of its own (under its "
        "title and outlet, with the page's date and URL; `storyline ingest --split-item-pages`). "
        "Such a page, an aggregator's stream scraped as one article, holds lines of an outlet's "
        "name, a title and its text, and not the article its title names (837 of the 1,855 "
        "finance-news records of 2020; none of the Timeline17 articles; sources/itempages.py). "
        "Found pages are reported either way. Off by default: a store that holds such pages "
        "whole would get their items beside them on the next ingest of the same file, and on "
        "finance-news 2017-20 story detection, which reads outlets' furniture ('(Bloomberg) --', "
        "'(c) Bloomberg L.P.') as shared names, then grouped 1,265 Bloomberg reports into one "
        "story (whole pages: the largest 469).",
    )
    language_sample_chars: int = setting(
        1000,
        "Characters (title and start of the body) given to the language identifier: on the 2,568 "
        "Timeline17 articles 1,000 gives the same answers as 2,000 in half the time (the "
        "identifier is linear in length, about 0.3-0.7 ms per 1,000 characters here).",
    )
    language_min_confidence: float = setting(
        0.8,
        "Below this normalised probability the detected language is not claimed and the article "
        "keeps the default (en): short or mixed texts (captions, datelines) give unreliable "
        "guesses, e.g. a one-line English photo credit scores 0.55 for Nigerian Pidgin.",
        high=1.0,
    )


@dataclass(frozen=True, slots=True)
class StoreConfig(_Validated):
    """The store engines (store/)."""

    busy_timeout_seconds: float = setting(
        10.0,
        "How long a write waits while another storyline process holds the store's write lock "
        "before failing with 'the store is busy'. storyline's writes are short transactions (one "
        "article; one replacement of all stories), so a concurrent ingest or build-stories "
        "releases the lock within this time; a lock held longer is a stuck or foreign process, "
        "and a user at a terminal gets one line instead of an indefinite hang.",
    )
    connect_timeout_seconds: float = setting(
        10.0,
        "PostgreSQL only: how long to wait for the server to answer a connection before failing "
        "with 'cannot connect'. Without it, a server behind a firewall that drops packets hangs "
        "the command for minutes (the operating system's TCP timeout); a server that is up "
        "answers in milliseconds, so 10 s only fails a server that is not there. A "
        "connect_timeout in the URL wins.",
        low=1.0,
        high=600.0,
    )
    write_batch_articles: int = setting(
        200,
        "Articles an ingest stores per write transaction. One commit per article cost 18 % of "
        "ingest time at 50 k articles; a batch of 200 makes commits negligible while a crash "
        "loses at most the open batch (a rerun stores it again: the content hash is the "
        "article's identity) and other writers wait at most one batch.",
        low=1,
        high=100_000,
    )
    wal_autocheckpoint_pages: int = setting(
        1000,
        "SQLite: checkpoint the write-ahead log every this many pages (SQLite's default, 4 MB). "
        "Together with wal_size_limit_mb it keeps the WAL file bounded during long ingests.",
        low=1,
    )
    wal_size_limit_mb: int = setting(
        64,
        "SQLite: after a checkpoint the WAL file is truncated to at most this many MB "
        "(journal_size_limit). A 3,000-article ingest under reads grew it to 600 MB without it.",
        low=1,
    )
    writer_cache_mb: int = setting(
        64,
        "SQLite: page cache of a connection that writes (cache_size; readers keep SQLite's 2 MB "
        "default). An ingest inserts into indexes at random keys (article ids, content hashes, "
        "near-duplicate buckets) and into the full-text index; with 2 MB their pages were "
        "evicted and read again, and ingest took 1 % more CPU on 3,000 scale-corpus articles, "
        "3 % more on 10,000 (the gap grows with the store). 64 MB is a small part of the 1 GB "
        "an ingest may use, and is only taken as pages are touched.",
        low=1,
    )


@dataclass(frozen=True, slots=True)
class TimeConfig(_Validated):
    """The temporal tagger (time/)."""

    tense_override_days: int = setting(
        100,
        "Temporal tagger: a yearless date ('Oct. 23', 'in March') goes to its occurrence nearest "
        "the document date unless the sentence's tense points the other way and that occurrence "
        "is more than this many days away. 100 was best on TimeBank+AQUAINT (30: -0.01 value "
        "accuracy; 150: -0.003); tense cues without a POS tagger are noisy.",
    )


@dataclass(frozen=True, slots=True)
class DatingConfig(_Validated):
    """Dating undated articles, from their text and from their story's dated reports."""

    context_min_dated: int = setting(
        2,
        "A story's dated articles bound an undated article's date only when there are at least "
        "this many; a single dated report may be an earlier chapter years away (the seeds: 2017 "
        "and 2020), so a text that dates itself ('its 60-year-old alliance') is kept then.",
    )
    neighbours: int = setting(
        10,
        "Dated reports of the story, closest in content (TF-IDF cosine), whose days are the "
        "candidate dates of an undated article. On T17 with a quarter of dates hidden (bench/"
        "bench_dating.py): 5 gave 0.397 exact, 10 0.410, 25 0.413 (not worth the time).",
        low=1,
    )
    similarity_power: float = setting(
        2.0,
        "A report votes for its day with (its similarity / the best one's) to this power: the "
        "closest reports most likely tell the same event. On T17 (hidden dates): 1 gave 0.414 "
        "exact, 2 0.410, 4 0.400; 2 keeps a lone close report from being outvoted by many vague "
        "ones.",
    )
    text_weight: float = setting(
        1.0,
        "Bonus of the candidate that is the latest past day the article names itself (a report "
        "is written on the latest day it tells of). On T17 (hidden dates) that day is right for "
        "71% of the articles that name one; without the bonus the reports outvote it (0.232 "
        "exact overall against 0.410; 3 gave 0.411).",
    )
    mention_weight: float = setting(
        2.0,
        "Weight of agreement: the article's 'on Tuesday', 'yesterday' resolved against a "
        "candidate day land on days the close reports speak of. On T17 (hidden dates): 0 gave "
        "0.399 exact, 1 0.410, 2 0.417, 3 0.413.",
    )
    event_day_weight: float = setting(
        0.3,
        "Bonus of a candidate day that is the weekday the article names ('held talks on "
        "Tuesday', published that Tuesday) over the day after it, which the same reports also "
        "support. On T17 (hidden dates): 0 gave 0.417 exact, 0.3 0.422, 0.6 0.421.",
    )
    lag_neighbours: int = setting(
        30,
        "How many dated articles that look like an undated one (the furniture at the ends of "
        "its page: byline, credits, trailer) say how long after the day and the weekday it "
        "names it appeared: a print edition's 'WASHINGTON, June 24 --' or 'hearings Tuesday' "
        "is published the day after, a web page's the same day. 0 takes the day named. Why "
        "30: a few days' output of one outlet, enough that one odd page does not decide. "
        "Leave-one-topic-out on T17 (bench/loto_dating.py, values 0, 5, 15, 30, 60) chose 30 "
        "for each of the 5 held-out topics: held out 0.465 exact day, 0.753 within 7 days, "
        "against 0.452 / 0.750 with 0 (Finan 0.145 -> 0.203, H1N1 0.618 -> 0.637, bpoil 0.460 "
        "-> 0.466, the others equal).",
        low=0,
    )
    day_min_similarity: float = setting(
        0.15,
        "A story-based estimate claims a day only when the article names that day (or the day "
        "before) itself, or when its 'on Tuesday' lands on days the close reports speak of and "
        "the closest report is at least this similar; otherwise it claims the month. On T17 "
        "(hidden dates) estimates without either cue were the exact day for 9-14% only (within "
        "31 days 55-71%); with agreeing weekdays and a closest report at 0.15-0.2, 13%, at "
        "0.2-0.25, 17%, above 0.2 overall 27% (within 31 days 83%).",
        high=1.0,
    )


@dataclass(frozen=True, slots=True)
class StoryConfig(_Validated):
    """Grouping articles into stories (stories/)."""

    _ordered = (("merge_threshold", "merge_threshold_large"),)

    hash_bits: int = setting(
        20,
        "Words and months hash into the lower 2**(bits-1) buckets, names into the upper ones (so "
        "names can be compared alone): 2**20 keeps collisions between a story's informative "
        "terms rare while the document-frequency table stays 4 MB.",
        low=8,
        high=30,
    )
    body_chars: int = setting(
        10_000,
        "Characters of an article's body read for story detection: the whole of a normal article "
        "(a story's key words often come late in features and columns), but not all of a "
        "transcript or a live blog, whose length would only add time.",
    )
    title_weight: float = setting(
        3.0,
        "A title word counts as this many body words: a headline names the story.",
    )
    name_weight: float = setting(
        2.0,
        "A capitalised phrase (name) counts as this many words: shared names (people, places, "
        "treaties, companies) carry a story across long pauses when its wording drifts.",
    )
    assign_threshold: float = setting(
        0.05,
        "An article joins the most similar story when their time-weighted cosine (article vs "
        "story centroid) reaches this; otherwise it opens a new story.",
    )
    name_threshold: float = setting(
        0.03,
        "An article joins a story (and two stories merge) only if the cosine of their names alone "
        "(people, places, companies) reaches this: concurrent stories share the words of their "
        "kind of news but not their actors. Articles or stories without names are not held to "
        "it. Chosen on the T17 dev mix and its --overlap mix (topics moved to the same weeks): "
        "among 0.03/0.05/0.08 every leave-one-topic-out run (choose on 4 topics) prefers 0.03; "
        "0.02 let the BP oil spill and the financial crisis run together (overlap B-cubed F1 0.87).",
        high=1.0,
    )
    merge_threshold: float = setting(
        0.05,
        "A story of one article merges into its best match when the time-weighted cosine of their "
        "centroids reaches this; the bar rises with the size of the smaller story towards "
        "story_merge_threshold_large. Joins pieces of one story that opened apart.",
    )
    adopt_after_days: int = setting(
        14,
        "A story still made of one article this many days after it (by the stream's latest "
        "date) is a side piece, not a story: it is offered once to its best larger match (see "
        "adopt_threshold). Two weeks lets a new story's followers arrive first; 30 days gave "
        "the same T17 figures.",
        low=0,
    )
    adopt_threshold: float = setting(
        0.05,
        "A lone article (see adopt_after_days) joins its best larger story at this time-weighted "
        "cosine, without the name test: a column or letter on a story names few of its actors. "
        "The merge bar of a one-article story (merge_threshold); 0.1 scored lower in each of the "
        "12 T17 runs (both mixes, all topics and each left out).",
        high=1.0,
    )
    merge_threshold_large: float = setting(
        0.5,
        "The merge bar for two large stories (see story_merge_threshold): the centroids of big "
        "unrelated stories share the words of all news, so only a high cosine means one story.",
    )
    time_scale_days: float = setting(
        30.0,
        "Time decay scale: similarity to a story is weighted by floor + (1 - floor) * exp(-gap / "
        "scale), the gap being days between the article and the story's span.",
        low=1e-9,
    )
    time_floor: float = setting(
        0.4,
        "The decay never goes below this weight, so a story can resume after years (the seeds: "
        "2017 → 2020) when the article shares enough rare names and phrases with it.",
        high=1.0,
    )
    centroid_terms: int = setting(
        400,
        "A story's centroid keeps only its heaviest terms: enough to recognise it, and the saved "
        "state stays small so an incremental run loads and saves it quickly.",
        low=1,
    )
    split_lift: float = setting(
        2.0,
        "A full build regroups each story whose lift, the mean cosine between its members over "
        "their mean cosine with the rest of the store, is under this: its members are hardly "
        "more alike than news in general, a catch-all grown by chaining (stories/split.py). The "
        "ratio is scale-free, so one value serves every corpus. True stories measure 2.2 to 17: "
        "the lowest, 2.22, is the T17 financial-crisis story in the overlap mix's leave-one-out "
        "runs (every T17 story of both mixes and of all their leave-one-out runs is above 2.2, so "
        "no T17 figure depends on this value); finance-news's two catch-alls (467 articles of "
        "two years of big-tech news, 63 of 'New York · U.S') measure 1.49 and 1.85. 2.0 is the "
        "midpoint between those edges.",
        low=0.0,
    )
    split_min_size: int = setting(
        20,
        "Stories smaller than this are not checked for a catch-all (see split_lift): a few "
        "articles' lift is noisy, and a small story cannot hide several stories' worth of news.",
        low=2,
    )
    reassign_margin: float = setting(
        1.5,
        "After a full build has placed every article, an article moves to another story (of two "
        "or more articles, passing the name test) that scores it this many times higher than its "
        "own story without it (stories/refine.py): a report that arrived before its story "
        "existed leaves the story it joined then. Between close scores the decision made on "
        "arrival stands: a margin of 1 moves ambiguous round-ups both ways. Among 1, 1.5 and 2, "
        "1.5 scored highest or tied in each of the 12 T17 runs (dev and overlap mixes, all "
        "topics and each left out), so every leave-one-topic-out choice is 1.5.",
        low=0.0,
    )
    refine_max_articles: int = setting(
        50_000,
        "A full build splits catch-alls and reassigns articles (split_lift, reassign_margin) "
        "only up to this many articles: both passes compare every article with every story, so "
        "they hold every article's weighted vector at once, where the streaming assignment "
        "holds a batch. Measured peak of a full story rebuild (bench_scale.py --stage detect): "
        "339 MB with them at 20,000 articles (192 MB without); at 100,000 they took 1,443 MB "
        "(298 MB without) when a copy of the raw counts was also kept. Above this the stories "
        "are the streaming assignment's alone, so large builds stay within a laptop's memory; "
        "every evaluation corpus here is far below it.",
        low=0,
    )
    thread_threshold: float = setting(
        0.2,
        "Threads inside a story (show-story --threads): an article joins a thread of its story at "
        "this time-weighted cosine, four times the story bar, so the events of a long story (the "
        "claims fund, the relief well) come apart.",
    )
    batch_size: int = setting(
        256,
        "Articles assigned per batch: each batch is compared with the story centroids in one "
        "sparse product and with itself exactly, then the centroids are updated.",
        low=1,
    )


@dataclass(frozen=True, slots=True)
class TimelineConfig(_Validated):
    """Choosing a timeline's dates and sentences (timeline/)."""

    _ordered = (("default_dates_min", "default_dates_max"), ("min_tokens", "max_tokens"))

    date_ranker: str = setting(
        "counts",
        "How days are ranked: 'counts', the weighted mention and publication counts with "
        "PageRank below, or 'model', the logistic regression shipped as "
        "storyline/timeline/date_model.json (trained across topics on normalised evidence: "
        "counts, sources, leads, bursts, event verbs, novelty; retrain with `storyline eval "
        "train-dates`), whose order is used with the counts' score scale. Chosen the way "
        "`eval tls --loto` chooses it inside each fold (evaluate/loto.py DATE_GRID, by the "
        "training topics' Date F1, the model by its own held-out figure): given all five "
        "Timeline17 topics that procedure picks the counts at the weights below, and held out "
        "four of five folds did too (the model's LOTO Date F1 0.671 against 0.691 for the "
        "counts with weights chosen per fold), so the counts are what generalised.",
        choices=("model", "counts"),
    )

    later_mention_weight: float = setting(
        1.0,
        "Timelines: weight of one article naming a day it was published after. Looking back at a "
        "day is the strongest sign that something happened then (PRIOR_ART.md: date mentions "
        "carry most of the Date F1).",
    )
    same_day_mention_weight: float = setting(
        0.5,
        "Timelines: weight of an article naming its own publication day ('today', 'on Tuesday'): "
        "that day's coverage, already partly counted by publication volume.",
    )
    earlier_mention_weight: float = setting(
        0.25,
        "Timelines: weight of an article naming a day still ahead of it (an announcement): a plan "
        "is weaker evidence than a report, but scheduled events do happen.",
    )
    source_spread_weight: float = setting(
        0.3,
        "Timelines: a day named by n outlets has its mention score multiplied by 1 + this x "
        "ln(n): agreement across sources, not one outlet's repetition, marks an event.",
    )
    publication_weight: float = setting(
        0.3,
        "Timelines: weight of a day's share of publications beside its share of mentions (both "
        "normalised over the window): news breaks on the day it happens.",
    )
    date_smoothing: float = setting(
        0.0,
        "Timelines: a day's score gains this times the mean score of its two neighbours, so a "
        "busy stretch is not lost to a one-day tagging error. Off (0): on Timeline17 0.2 cost "
        "0.014 Date F1; kept as a knob for noisier taggers.",
    )
    default_dates_min: int = setting(
        15,
        "Timelines: with no --dates, L = 2 x sqrt(candidate dates) but at least this many (or all "
        "when fewer exist): a short story still gets its handful of dates.",
        low=1,
    )
    default_dates_max: int = setting(
        40,
        "Timelines: with no --dates, at most this many dates: longer timelines stop being read.",
        low=1,
    )
    default_per_date: int = setting(
        2,
        "Timelines: sentences per date with no --per-date; reference timelines hold one or two.",
    )
    lead_sentences: int = setting(
        5,
        "Timelines: an article's first sentences that are candidates for its publication day (and "
        "the days before it, see followup days): leads carry the news (news-tls DATEWISE uses 5).",
    )
    followup_days: int = setting(
        1,
        "Timelines: leads of articles published up to this many days after a date are candidates "
        "for it: reports of an event often appear the next day; two days later the leads mostly "
        "tell that later day's news (on Timeline17, 1 instead of 2: align+ m:1 ROUGE-1 0.154 -> "
        "0.159, ROUGE-2 0.041 -> 0.041, 8 of 11 tasks up in ROUGE-1; 0 cost 0.012 ROUGE-1).",
    )
    centroid_weighting: str = setting(
        "quality",
        "Timelines: how a date's candidate sentences form the centroid its summary is drawn "
        "towards: 'quality' weighs each by how much it reads like an entry (the same factor "
        "that weighs it as a pick), so captions, datelines and fragments, which share the day's "
        "words, do not pull the centroid towards their own; 'uniform' is news-tls DATEWISE's "
        "plain mean. Chosen inside each fold of `eval tls --loto` (evaluate/loto.py GRID); given "
        "all five Timeline17 topics that choice is 'quality' (in-sample align+ m:1 ROUGE-2 0.0408 "
        "-> 0.0423, up on 4 of 5 topics, ROUGE-1 0.1595 -> 0.1587).",
        choices=("quality", "uniform"),
    )
    min_tokens: int = setting(
        8,
        "Timelines: sentences with fewer words are penalised (quadratically): fragments and "
        "captions say too little to stand as an entry.",
    )
    max_tokens: int = setting(
        50,
        "Timelines: sentences with more words are penalised in proportion: a long sentence "
        "dilutes what it says. Reference entries average about 20 words, but a cap that low drops "
        "the complete sentences that name actor, action and object (on Timeline17: 30 words cost "
        "0.006 ROUGE-1; 50 gained 0.003 ROUGE-1 and 0.0015 ROUGE-2 over 35).",
    )
    style_penalty: float = setting(
        0.7,
        "Timelines: factor for a sentence that opens with a pronoun, connective, quotation or "
        "lower case, or ends without a full stop: it does not stand on its own in a timeline.",
    )
    mention_bonus: float = setting(
        0.0,
        "Timelines: a candidate sentence that names the date itself scores 1 + this times more: "
        "it speaks of that day for sure, a lead only probably. Off (0): on Timeline17 the leads "
        "of the day's reports read more like timeline entries (0.3 cost 0.005 ROUGE-1).",
    )
    expected_penalty: float = setting(
        0.7,
        "Timelines: factor for a sentence, written on or after the date, that speaks of the event "
        "as still to come ('are expected to'): what happened is better told by a report of it.",
    )
    redundancy_threshold: float = setting(
        0.5,
        "Timelines: a sentence whose TF-IDF cosine with one already in the timeline exceeds this "
        "is a near-repeat and is skipped.",
        high=1.0,
    )
    near_redundancy_threshold: float = setting(
        1.0,
        "Timelines: a stricter repeat threshold between sentences of dates at most near "
        "redundancy days apart (it applies when below the redundancy threshold): consecutive "
        "days of one story are reported in the same words, and an entry should say what is new "
        "that day. Off (1): chosen per fold under `eval tls --loto` from off or 0.3, every fold "
        "took 0.3 and align+ m:1 ROUGE-2 rose 0.0393 -> 0.0416 (ROUGE-1 0.155 -> 0.153), but "
        "from two tasks (EgyptianProtest 0.034 -> 0.058, H1N1 guardian 0.065 -> 0.075) while "
        "Finan, MJ and washingtonpost lost, so the tasks won against news-tls DATEWISE fell "
        "from 7 to 5 of 10; kept as a knob for bursty stories.",
        high=1.0,
    )
    near_redundancy_days: int = setting(
        2,
        "Timelines: how many days apart two dates may be for the near redundancy threshold to "
        "apply between their sentences (1 day lost the gain above: the reports that repeat "
        "each other span the day after next).",
        low=1,
    )
    date_evidence_power: float = setting(
        0.5,
        "Timelines: mention and publication shares are raised to this power before they are "
        "added: below 1 it compresses the few days every article recalls, so days with their own "
        "coverage can compete with them.",
        low=1e-9,
    )
    date_spread_weight: float = setting(
        0.0,
        "Timelines: how strongly a candidate date close to an already chosen one is discounted (0 "
        "= pure ranking). Off: journalists' timelines follow the bursts (on Timeline17 0.3 cost "
        "0.005 Date F1, 0.6 cost 0.022); raise it for a reader who wants the whole span.",
    )
    junk_penalty: float = setting(
        0.3,
        "Timelines: factor for a sentence carrying web-page debris (a '|' separator, a clock time "
        "or time zone, 'wrote :', a link, a leading punctuation mark): datelines and comment "
        "headers are not news.",
    )
    month_support: float = setting(
        0.5,
        "Timelines: a month named in text ('in January 2017') lends this share of its mention "
        "score to the candidate days inside that month, split evenly: it is evidence for the "
        "event reported on one of them.",
    )
    month_weight: float = setting(
        0.5,
        "Timelines: a month entry (a month named in text that no candidate day covers) scores "
        "this times what a day with the same mentions would: 'in November 2015' is a vaguer claim "
        "than a day.",
    )
    year_weight: float = setting(
        0.25,
        "Timelines: a year entry scores this times what a day with the same mentions would: a "
        "bare year ('since 1960') is mostly background, rarely an event of the story.",
    )
    graph_weight: float = setting(
        0.5,
        "Timelines: share of a day's score that comes from PageRank over the date reference graph "
        "(articles link their publication day to the days they name), the rest from mention and "
        "publication counts. Half and half was best on Timeline17 (0.3: -0.008 Date F1, 0.65: "
        "-0.019).",
        high=1.0,
    )
    graph_damping: float = setting(
        0.85,
        "Timelines: PageRank damping on the date reference graph, the usual 0.85 (0.7 and 0.95 "
        "were no better on Timeline17).",
        high=0.99,
    )
    stored_min_articles: int = setting(
        2,
        "Stories with at least this many articles get their default timeline computed and stored "
        "when stories are built, so the web server only reads it; a one-article story's timeline "
        "takes milliseconds on request, and storing thousands of them would slow every rebuild.",
    )
    story_max_articles: int = setting(
        2000,
        "Most articles a story's timeline is built from: of a larger story, those whose ids "
        "hash lowest, and the timeline says so (parameters.capped). Why: a stored timeline is "
        "refreshed whenever its story grows, and a 23,000-article story took a minute and "
        "1.4 GB to recompute, on every ingest that touched it. A timeline shows tens of dates; "
        "a uniform sample keeps each day's share of the coverage on average, which is what days "
        "are ranked by (shares, not counts), and a sample by hash changes only where the story "
        "does, so most refreshes after a small ingest keep the timeline as it was. A cap by "
        "count, not by time, gives the same timeline on any machine; 2,000 is larger than any "
        "Timeline17 topic, so the evaluated timelines do not change.",
        low=1,
    )
    refresh_share: float = setting(
        0.02,
        "An ingest recomputes a story's stored timeline once the story's size differs by at "
        "least this share from its size when the timeline was computed; a smaller change leaves "
        "the old timeline marked stale and served (the story page says how many articles it "
        "was built from) until more arrive, `storyline build-stories` runs or an edit touches "
        "the story, all of which recompute every stale one. Why: an ingest of 100 articles into "
        "a 100,000-article store touched 28 stories and spent 11 of its 14 CPU seconds "
        "recomputing their timelines, most of them stories that grew by well under 1 %; a "
        "timeline ranks days by their share of the story's coverage, which so few articles "
        "barely move. At 0.02 a story of up to 50 articles is recomputed on every new article, "
        "so small stories, where one article can add a date, are always current. 0 recomputes "
        "on every change.",
        high=1.0,
    )


@dataclass(frozen=True, slots=True)
class WebConfig(_Validated):
    """Limits and page sizes of the web UI and HTTP API (web/)."""

    page_size: int = setting(
        50,
        "Items per page of a web listing (stories, search hits, a story's articles) when the "
        "request gives no ?size=: a screenful that renders in milliseconds.",
        low=1,
    )
    max_page_size: int = setting(
        500,
        "Largest ?size= the web API accepts (400/422 above): bounds the work one request can ask "
        "for, so a client cannot make the server serialise a whole corpus at once.",
        low=1,
    )
    max_dates: int = setting(
        500,
        "Largest ?dates= (timeline length) the web API computes on request: above any published "
        "reference timeline (the longest Timeline17 one has 102 dates).",
    )
    max_per_date: int = setting(
        20,
        "Largest ?per_date= (sentences per date) the web API computes on request: reference "
        "timelines use 1 to 4; more is a reading list, not a timeline.",
    )
    chart_bins: int = setting(
        24,
        "Bars in the articles-over-time chart of each story on the stories page: enough to show "
        "where coverage bunches, small enough to read at 160 pixels wide.",
        low=1,
    )
    max_upload_bytes: int = setting(
        64_000_000,
        "Largest request body (bytes) a --writable server accepts on an upload; larger ones get "
        "413 before they are read. A day's batch (200 files of web pages up to 300 KB) fits; "
        "uploads stream to disk, so this bounds disk and ingest time, not memory. Larger "
        "collections go through `storyline ingest`.",
        low=1,
    )
    query_max_articles: int = setting(
        2000,
        "Most articles a query timeline (/timeline.json?q=) is built from: more matches are "
        "sampled evenly over their publication order and the response says so (parameters."
        "capped). Bounds memory and time per request by work, not by a wall clock, so the "
        "answer does not depend on the machine; 2,000 is larger than any Timeline17 topic.",
        low=1,
    )
    query_max_matches: int = setting(
        50_000,
        "Most matching sentences a query timeline (/timeline.json?q=) looks for its articles "
        "in: when more match, that many are taken spread over the whole store (its sentences' "
        "storage order cut into equal ranges, each giving its newest matches) and the response "
        "says so (parameters.capped.sentences). Finding, counting and ordering every match "
        "grows with the store ('the': 71 s at 1,000,000 articles, though the timeline read "
        "2,000), so it is bounded by work, not by a wall clock. 50,000 is far above any "
        "Timeline17 topic's matches for its own keywords ('oil spill' in bpoil: 4,178) and "
        "gives more articles than web.query_max_articles for common words.",
        low=1,
    )
    search_max_matches: int = setting(
        5_000,
        "Most matching sentences a search (/search, /search.json) ranks and lists the articles "
        "of: when more match, the most recently stored this many are used (the same ones on "
        "both engines) and the response says so (capped); articles whose title holds the query "
        "are all listed, or (SQLite, when over 2,000 titles hold it) the most recently stored "
        "this many of them. Ranking (bm25) and finding each match's article cost CPU per matching "
        "sentence (about 2.5 us on a laptop core), and a common word matches most of a large "
        "store ('oil spill': 70,262 sentences of the 100,000-article bench store, 241 ms a "
        "search uncapped). The cap bounds a search by work, not by a wall clock, so the answer "
        "does not depend on the machine: at 5,000 a search costs about 35 ms of CPU at any "
        "store size, and Timeline17's largest topic (bpoil, 1,460 articles) is still searched "
        "whole for 'oil spill' (4,178 sentences); words in most of its sentences ('oil': "
        "13,106) are capped.",
        low=1,
    )
    response_cache_mb: int = setting(
        64,
        "Memory (MB per server process) for JSON answers kept while the store does not change: "
        "a read-only SQLite server answers a URL asked again since the last commit without "
        "reading the store (100 clients reading the same pages were 30 requests/s on two cores "
        "without it). Exact: any commit by another process empties it. 0 turns it off.",
        low=0,
    )
    workers: int = setting(
        2,
        "Server processes `storyline serve` starts (each with its own threads and store "
        "connections). One Python process runs one request's Python at a time, so throughput "
        "grows with clients only up to one core; one process per core (2 on the reference "
        "laptop) lets it grow with the cores. 1 serves from a single process.",
        low=1,
        high=64,
    )
    threads: int = setting(
        4,
        "Requests a server process works on at once (its threads; more wait their turn, first "
        "come first served). One process runs one request's Python at a time, and each thread "
        "keeps its own store connection: 40 threads (the framework's default) spent 19-28 ms "
        "of server CPU a request under 100 clients of the 100,000-article bench store, where 4 "
        "spent 13 ms, and served 1.5-2 times as many requests a second (bench_serve.py, "
        "2026-12-05; 2 threads 12 ms, 8 threads 26 ms). More than 2 leaves room beside a long "
        "request (an upload, a query timeline) for the others.",
        low=1,
        high=256,
    )


SECTIONS: dict[str, type[Any]] = {
    "store": StoreConfig,
    "ingest": IngestConfig,
    "time": TimeConfig,
    "dating": DatingConfig,
    "stories": StoryConfig,
    "timeline": TimelineConfig,
    "web": WebConfig,
}


@dataclass(frozen=True, slots=True)
class Config:
    """Every stage's config: what ``Corpus`` holds and hands to each stage it calls."""

    store: StoreConfig = field(default_factory=StoreConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    time: TimeConfig = field(default_factory=TimeConfig)
    dating: DatingConfig = field(default_factory=DatingConfig)
    stories: StoryConfig = field(default_factory=StoryConfig)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)
    web: WebConfig = field(default_factory=WebConfig)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Config:
        """A copy with ``{"section.name": value}`` replaced (validated); unknown names raise.

        Used by the evaluation's folds (a grid point is a set of overrides) and by
        ``--set section.name=value`` on the command line.
        """
        changes: dict[str, dict[str, Any]] = {}
        for key, value in overrides.items():
            section, _, name = key.partition(".")
            if section not in SECTIONS or name not in _field_names(SECTIONS[section]):
                raise ValueError(f"unknown setting {key!r} (see `storyline settings`)")
            changes.setdefault(section, {})[name] = value
        parts = {s: dataclasses.replace(getattr(self, s), **c) for s, c in changes.items()}
        return dataclasses.replace(self, **parts)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return {s: dataclasses.asdict(getattr(self, s)) for s in SECTIONS}


@dataclass(frozen=True, slots=True)
class SettingDoc:
    """One documented setting: ``section.name``, its default and why."""

    name: str
    default: Any
    help: str


def _field_names(cls: type[Any]) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def documented() -> Iterator[SettingDoc]:
    """Every setting of every stage, in declaration order, from the fields themselves."""
    for section, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            yield SettingDoc(f"{section}.{f.name}", f.default, f.metadata["help"])


def as_markdown() -> str:
    """The settings table of ``docs/settings.md`` (a test keeps the two identical)."""
    lines = [
        "# Settings",
        "",
        "Every tunable of storyline, global (never per topic or per file), with its default and",
        "why it has that value. Each stage takes its own typed config (`storyline.settings`:",
        "`StoreConfig`, `IngestConfig`, `TimeConfig`, `DatingConfig`, `StoryConfig`, `TimelineConfig`,",
        "`WebConfig`, gathered in `Config`); these are their defaults. Generated by",
        "`storyline settings --markdown`; do not edit by hand.",
        "",
        "| name | default | why |",
        "|---|---|---|",
    ]
    for s in documented():
        why = s.help.replace("|", r"\|")
        lines.append(f"| `{s.name}` | `{s.default!r}` | {why} |")
    return "\n".join(lines) + "\n"


__all__ = [
    "SECTIONS",
    "Config",
    "DatingConfig",
    "IngestConfig",
    "SettingDoc",
    "StoreConfig",
    "StoryConfig",
    "TimeConfig",
    "TimelineConfig",
    "WebConfig",
    "as_markdown",
    "documented",
    "setting",
]
