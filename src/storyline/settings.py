"""Every tunable of storyline as data: a name, a default, and why it has that value.

Settings are global and documented (``tests/test_settings.py`` fails when one is missing from
``docs/settings.md``): nothing is tuned per topic or per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: list[Setting] = [
    Setting(
        "max_article_bytes",
        5_000_000,
        "A single article larger than this (bytes) is skipped: no news report is 5 MB of text, "
        "so such a file is a dump or a mistake, and splitting it would stall the ingest.",
    ),
    Setting(
        "min_article_chars",
        20,
        "Bodies shorter than this (after whitespace is folded) are skipped as empty.",
    ),
    Setting(
        "near_duplicate_threshold",
        0.9,
        "Estimated Jaccard similarity of word 5-shingles (MinHash) at or above which a new article "
        "is linked to an earlier one as its near-duplicate (wire copies, re-publications).",
    ),
    Setting(
        "minhash_permutations",
        128,
        "MinHash permutations: 128 keeps the Jaccard estimate within about ±0.09 at 95%.",
    ),
    Setting(
        "max_file_bytes",
        200_000_000,
        "A JSON document, HTML page or feed (read whole) larger than this (bytes) is skipped; "
        "JSONL and CSV are streamed record by record and have no file limit, only the per-article "
        "one. Large collections belong in JSONL.",
    ),
    Setting(
        "language_sample_chars",
        1000,
        "Characters (title and start of the body) given to the language identifier: on the 2,568 "
        "Timeline17 articles 1,000 gives the same answers as 2,000 in half the time (the "
        "identifier is linear in length, about 0.3-0.7 ms per 1,000 characters here).",
    ),
    Setting(
        "language_min_confidence",
        0.8,
        "Below this normalised probability the detected language is not claimed and the article "
        "keeps the default (en): short or mixed texts (captions, datelines) give unreliable "
        "guesses, e.g. a one-line English photo credit scores 0.55 for Nigerian Pidgin.",
    ),
    Setting(
        "web_page_size",
        50,
        "Items per page of a web listing (stories, search hits, a story's articles) when the "
        "request gives no ?size=: a screenful that renders in milliseconds.",
    ),
    Setting(
        "web_max_page_size",
        500,
        "Largest ?size= the web API accepts (400/422 above): bounds the work one request can ask "
        "for, so a client cannot make the server serialise a whole corpus at once.",
    ),
    Setting(
        "web_max_dates",
        500,
        "Largest ?dates= (timeline length) the web API computes on request: above any published "
        "reference timeline (the longest Timeline17 one has 102 dates).",
    ),
    Setting(
        "web_max_per_date",
        20,
        "Largest ?per_date= (sentences per date) the web API computes on request: reference "
        "timelines use 1 to 4; more is a reading list, not a timeline.",
    ),
    Setting(
        "web_chart_bins",
        24,
        "Bars in the articles-over-time chart of each story on the stories page: enough to show "
        "where coverage bunches, small enough to read at 160 pixels wide.",
    ),
    # --- story detection (storyline.stories) -------------------------------------------------
    Setting(
        "story_hash_bits",
        20,
        "Words and names hash into 2**bits buckets: 2**20 keeps collisions between a story's "
        "informative terms rare while the document-frequency table stays 4 MB.",
    ),
    Setting(
        "story_body_chars",
        10_000,
        "Characters of an article's body read for story detection: the whole of a normal "
        "article (a story's key words often come late in features and columns), but not all "
        "of a transcript or a live blog, whose length would only add time.",
    ),
    Setting(
        "story_title_weight",
        3.0,
        "A title word counts as this many body words: a headline names the story.",
    ),
    Setting(
        "story_name_weight",
        2.0,
        "A capitalised phrase (name) counts as this many words: shared names (people, places, "
        "treaties, companies) carry a story across long pauses when its wording drifts.",
    ),
    Setting(
        "story_assign_threshold",
        0.05,
        "An article joins the most similar story when their time-weighted cosine (article vs "
        "story centroid) reaches this; otherwise it opens a new story.",
    ),
    Setting(
        "story_merge_threshold",
        0.05,
        "A story of one article merges into its best match when the time-weighted cosine of "
        "their centroids reaches this; the bar rises with the size of the smaller story towards "
        "story_merge_threshold_large. Joins pieces of one story that opened apart.",
    ),
    Setting(
        "story_merge_threshold_large",
        0.5,
        "The merge bar for two large stories (see story_merge_threshold): the centroids of big "
        "unrelated stories share the words of all news, so only a high cosine means one story.",
    ),
    Setting(
        "story_time_scale_days",
        30.0,
        "Time decay scale: similarity to a story is weighted by floor + (1 - floor) * "
        "exp(-gap / scale), the gap being days between the article and the story's span.",
    ),
    Setting(
        "story_time_floor",
        0.4,
        "The decay never goes below this weight, so a story can resume after years (the seeds: "
        "2017 → 2020) when the article shares enough rare names and phrases with it.",
    ),
    Setting(
        "story_centroid_terms",
        400,
        "A story's centroid keeps only its heaviest terms: enough to recognise it, and the "
        "saved state stays small so an incremental run loads and saves it quickly.",
    ),
    Setting(
        "story_thread_threshold",
        0.2,
        "Threads inside a story (show-story --threads): an article joins a thread of its story at "
        "this time-weighted cosine, four times the story bar, so the events of a long story "
        "(the claims fund, the relief well) come apart.",
    ),
    Setting(
        "story_batch_size",
        256,
        "Articles assigned per batch: each batch is compared with the story centroids in one "
        "sparse product and with itself exactly, then the centroids are updated.",
    ),
    Setting(
        "timeline_later_mention_weight",
        1.0,
        "Timelines: weight of one article naming a day it was published after. Looking back at a "
        "day is the strongest sign that something happened then (PRIOR_ART.md: date mentions carry "
        "most of the Date F1).",
    ),
    Setting(
        "timeline_same_day_mention_weight",
        0.5,
        "Timelines: weight of an article naming its own publication day ('today', 'on Tuesday'): "
        "that day's coverage, already partly counted by publication volume.",
    ),
    Setting(
        "timeline_earlier_mention_weight",
        0.25,
        "Timelines: weight of an article naming a day still ahead of it (an announcement): a plan "
        "is weaker evidence than a report, but scheduled events do happen.",
    ),
    Setting(
        "timeline_source_spread_weight",
        0.3,
        "Timelines: a day named by n outlets has its mention score multiplied by "
        "1 + this x ln(n): agreement across sources, not one outlet's repetition, marks an event.",
    ),
    Setting(
        "timeline_publication_weight",
        0.3,
        "Timelines: weight of a day's share of publications beside its share of mentions (both "
        "normalised over the window): news breaks on the day it happens.",
    ),
    Setting(
        "timeline_date_smoothing",
        0.0,
        "Timelines: a day's score gains this times the mean score of its two neighbours, so a busy "
        "stretch is not lost to a one-day tagging error. Off (0): on Timeline17 0.2 cost 0.014 "
        "Date F1; kept as a knob for noisier taggers.",
    ),
    Setting(
        "timeline_default_dates_min",
        15,
        "Timelines: with no --dates, L = 2 x sqrt(candidate dates) but at least this many (or all "
        "when fewer exist): a short story still gets its handful of dates.",
    ),
    Setting(
        "timeline_default_dates_max",
        40,
        "Timelines: with no --dates, at most this many dates: longer timelines stop being read.",
    ),
    Setting(
        "timeline_default_per_date",
        2,
        "Timelines: sentences per date with no --per-date; reference timelines hold one or two.",
    ),
    Setting(
        "timeline_lead_sentences",
        5,
        "Timelines: an article's first sentences that are candidates for its publication day (and "
        "the days before it, see followup days): leads carry the news (news-tls DATEWISE uses 5).",
    ),
    Setting(
        "timeline_followup_days",
        1,
        "Timelines: leads of articles published up to this many days after a date are candidates "
        "for it: reports of an event often appear the next day; two days later the leads mostly "
        "tell that later day's news (on Timeline17, 1 instead of 2: align+ m:1 ROUGE-1 0.154 -> "
        "0.159, ROUGE-2 0.041 -> 0.041, 8 of 11 tasks up in ROUGE-1; 0 cost 0.012 ROUGE-1).",
    ),
    Setting(
        "timeline_min_tokens",
        8,
        "Timelines: sentences with fewer words are penalised (quadratically): fragments and "
        "captions say too little to stand as an entry.",
    ),
    Setting(
        "timeline_max_tokens",
        50,
        "Timelines: sentences with more words are penalised in proportion: a long sentence dilutes "
        "what it says. Reference entries average about 20 words, but a cap that low drops the "
        "complete sentences that name actor, action and object (on Timeline17: 30 words cost "
        "0.006 ROUGE-1; 50 gained 0.003 ROUGE-1 and 0.0015 ROUGE-2 over 35).",
    ),
    Setting(
        "timeline_style_penalty",
        0.7,
        "Timelines: factor for a sentence that opens with a pronoun, connective, quotation or lower "
        "case, or ends without a full stop: it does not stand on its own in a timeline.",
    ),
    Setting(
        "timeline_mention_bonus",
        0.0,
        "Timelines: a candidate sentence that names the date itself scores 1 + this times more: "
        "it speaks of that day for sure, a lead only probably. Off (0): on Timeline17 the leads "
        "of the day's reports read more like timeline entries (0.3 cost 0.005 ROUGE-1).",
    ),
    Setting(
        "timeline_expected_penalty",
        0.7,
        "Timelines: factor for a sentence, written on or after the date, that speaks of the event "
        "as still to come ('are expected to'): what happened is better told by a report of it.",
    ),
    Setting(
        "timeline_redundancy_threshold",
        0.5,
        "Timelines: a sentence whose TF-IDF cosine with one already in the timeline exceeds this "
        "is a near-repeat and is skipped.",
    ),
    Setting(
        "timeline_date_evidence_power",
        0.5,
        "Timelines: mention and publication shares are raised to this power before they are "
        "added: below 1 it compresses the few days every article recalls, so days with their own "
        "coverage can compete with them.",
    ),
    Setting(
        "timeline_date_spread_weight",
        0.0,
        "Timelines: how strongly a candidate date close to an already chosen one is discounted (0 "
        "= pure ranking). Off: journalists' timelines follow the bursts (on Timeline17 0.3 cost "
        "0.005 Date F1, 0.6 cost 0.022); raise it for a reader who wants the whole span.",
    ),
    Setting(
        "timeline_junk_penalty",
        0.3,
        "Timelines: factor for a sentence carrying web-page debris (a '|' separator, a clock time "
        "or time zone, 'wrote :', a link, a leading punctuation mark): datelines and comment "
        "headers are not news.",
    ),
    Setting(
        "timeline_month_support",
        0.5,
        "Timelines: a month named in text ('in January 2017') lends this share of its mention "
        "score to the candidate days inside that month, split evenly: it is evidence for the "
        "event reported on one of them.",
    ),
    Setting(
        "timeline_month_weight",
        0.5,
        "Timelines: a month entry (a month named in text that no candidate day covers) scores "
        "this times what a day with the same mentions would: 'in November 2015' is a vaguer claim "
        "than a day.",
    ),
    Setting(
        "timeline_year_weight",
        0.25,
        "Timelines: a year entry scores this times what a day with the same mentions would: a "
        "bare year ('since 1960') is mostly background, rarely an event of the story.",
    ),
    Setting(
        "timeline_graph_weight",
        0.5,
        "Timelines: share of a day's score that comes from PageRank over the date reference graph "
        "(articles link their publication day to the days they name), the rest from mention and "
        "publication counts. Half and half was best on Timeline17 (0.3: -0.008 Date F1, 0.65: "
        "-0.019).",
    ),
    Setting(
        "timeline_graph_damping",
        0.85,
        "Timelines: PageRank damping on the date reference graph, the usual 0.85 (0.7 and 0.95 "
        "were no better on Timeline17).",
    ),
]

SETTINGS.append(
    Setting(
        "time_tense_override_days",
        100,
        'Temporal tagger: a yearless date ("Oct. 23", "in March") goes to its occurrence '
        "nearest the document date unless the sentence's tense points the other way and that "
        "occurrence is more than this many days away. 100 was best on TimeBank+AQUAINT "
        "(30: -0.01 value accuracy; 150: -0.003); tense cues without a POS tagger are noisy.",
    )
)

SETTINGS.append(
    Setting(
        "stored_timeline_min_articles",
        2,
        "Stories with at least this many articles get their default timeline computed and stored "
        "when stories are built, so the web server only reads it; a one-article story's timeline "
        "takes milliseconds on request, and storing thousands of them would slow every rebuild.",
    )
)

SETTINGS.append(
    Setting(
        "redate_event_similarity",
        0.2,
        "Minimum TF-IDF cosine between an undated article's lead and a dated article's sentence "
        "for that sentence's day to date the event the lead reports (the second pass). Below "
        "0.2 the two rarely share more than the story's names.",
    )
)
SETTINGS.append(
    Setting(
        "redate_event_margin",
        1.3,
        "The best-matching dated sentence dates an undated report's event only when it is this "
        "many times as similar as the best sentence naming another day: a story repeats its "
        "names in every report, so only a clear winner identifies the same event.",
    )
)

SETTINGS.append(
    Setting(
        "story_context_min_dated",
        2,
        "A story's dated articles bound an undated article's date only when there are at least "
        "this many; a single dated report may be an earlier chapter years away (the seeds: 2017 "
        "and 2020), so a text that dates itself ('its 60-year-old alliance') is kept then.",
    )
)

SETTINGS.append(
    Setting(
        "store_busy_timeout_seconds",
        10.0,
        "How long a write waits while another storyline process holds the store's write lock "
        "before failing with 'the store is busy'. storyline's writes are short transactions (one "
        "article; one replacement of all stories), so a concurrent ingest or build-stories "
        "releases the lock within this time; a lock held longer is a stuck or foreign process, "
        "and a user at a terminal gets one line instead of an indefinite hang.",
    )
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


def get(name: str) -> Any:
    """The default value of a setting; raises KeyError for an unknown name."""
    return DEFAULTS[name]


def as_markdown() -> str:
    """The settings table of ``docs/settings.md`` (a test keeps the two identical)."""
    lines = [
        "# Settings",
        "",
        "Every tunable of storyline, global (never per topic or per file), with its default and",
        "why it has that value. Generated by `storyline settings --markdown`; do not edit by hand.",
        "",
        "| name | default | why |",
        "|---|---|---|",
    ]
    for s in SETTINGS:
        why = s.help.replace("|", r"\|")
        lines.append(f"| `{s.name}` | `{s.default!r}` | {why} |")
    return "\n".join(lines) + "\n"


__all__ = ["DEFAULTS", "SETTINGS", "Setting", "as_markdown", "get"]
