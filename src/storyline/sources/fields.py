"""Records with named fields (JSON objects, CSV rows) → raw articles.

Why a table of names: news-please, trafilatura, Kaggle CSV dumps and hand-made files all say
"text", "title" and "date" differently (``maintext``, ``headline``, ``date_publish`` …). One
ordered list per meaning, matched case-insensitively, covers them all without a reader per
tool; the first name in a list wins when a record has several.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from storyline.sources.base import Problem, RawArticle
from storyline.sources.dates import NULLS, parse_timestamp

TEXT_FIELDS = (
    "maintext",
    "text",
    "body",
    "content",
    "article",
    "article_text",
    "story",
    "bodytext",
)
"""``bodyText`` is the Guardian Content API's (under its ``fields``, see :func:`flatten`)."""
TITLE_FIELDS = ("title", "headline", "title_page", "title_rss", "webtitle")
DATE_FIELDS = (
    "date_publish",
    "date",
    "published",
    "pubdate",
    "publish_date",
    "date_published",
    "datepublished",
    "published_at",
    "publishedat",
    "publication_date",
    "webpublicationdate",
    "pub_date",
)
"""Publication dates only: news-please's ``date_download``/``date_modify`` are not when it was
published, so they are never used. Names are compared in lower case: NewsAPI's
``publishedAt``, the Guardian's ``webPublicationDate``, the New York Times API's ``pub_date``."""
URL_FIELDS = ("url", "link", "weburl", "web_url", "source")
"""trafilatura's JSON calls the page URL ``source``; a ``source`` that is not a URL is a name."""
FALLBACK_TEXT_FIELDS = (
    "description",
    "lead_paragraph",
    "summary",
    "abstract",
    "lead",
    "teaser",
    "trailtext",
    "snippet",
)
"""Used, with a warning, when the text field is empty: news-please leaves ``maintext`` null on
pages it could not extract, but keeps the page's ``description``, which is the article's lead
(the New York Times API gives only a ``lead_paragraph``, the Guardian's a ``trailText``)."""
LANGUAGE_FIELDS = ("language", "lang")
SITE_FIELDS = (
    "source_domain",
    "sitename",
    "source-hostname",
    "hostname",
    "domain",
    "publication",
    "source",
)
"""``domain`` is Hugging Face CC-News's (news-please's ``source_domain`` by another name)."""


@dataclass(frozen=True, slots=True)
class Columns:
    """Which field of a record holds which part of the article (None: the record has none)."""

    text: str | None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    site: str | None = None


_LONGEST_NULL = max(map(len, NULLS))


def _present(value: Any) -> bool:
    """Whether a field holds a value: not None, and not a string that means "none".

    Why the length first: a record's text field is asked about several times, and lower-casing
    an article's text to compare it with "null" was a sixth of reading a record. Lower-casing
    never shortens a string, so a longer one cannot be one of ``NULLS``.
    """
    if value is None:
        return False
    if not isinstance(value, str):
        return True
    value = value.strip()
    return len(value) > _LONGEST_NULL or value.lower() not in NULLS


def find(
    keys: Iterable[str], names: tuple[str, ...], has_value: Mapping[str, Any] | None = None
) -> str | None:
    """The first key (case-insensitive) among ``names``; with ``has_value``, only non-empty ones."""
    by_lower: dict[str, str] = {}
    for key in keys:
        by_lower.setdefault(key.strip().lower(), key)
    for name in names:
        found = by_lower.get(name)
        if found is not None and (has_value is None or _present(has_value.get(found))):
            return found
    return None


def is_url(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


def columns_for(record: Mapping[str, Any]) -> Columns:
    """The fields of one JSON record, preferring those that actually hold a value."""
    keys = list(record)
    url = find(keys, URL_FIELDS, record)
    if url is not None and not is_url(record[url]):
        url = find([k for k in keys if k != url], URL_FIELDS, record)
    site = find(keys, SITE_FIELDS, record)
    if site is not None and is_url(record[site]):
        site = find([k for k in keys if k != site], SITE_FIELDS, record)
    return Columns(
        # a text field that is there but empty (news-please's null maintext) is named in the
        # problem, rather than reported as absent
        text=find(keys, TEXT_FIELDS, record) or find(keys, TEXT_FIELDS),
        title=find(keys, TITLE_FIELDS, record),
        date=find(keys, DATE_FIELDS, record),
        url=url,
        language=find(keys, LANGUAGE_FIELDS, record),
        site=site,
    )


_NESTED_FIELDS = ("fields",)
"""Objects whose fields are the article's own: the Guardian Content API puts ``bodyText`` and
``trailText`` under ``fields``."""
_NESTED_VALUE = ("main", "name")
"""The one field that says what a nested object is: the New York Times API's ``headline``
is ``{"main": …}``, NewsAPI's ``source`` is ``{"id": …, "name": "Reuters"}``."""


def flatten(record: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON record as flat fields: the members of a ``fields`` object beside the record's own
    (which win), and an object with a ``main`` or ``name`` string as that string.

    Why: the news APIs people collect from nest what news-please keeps flat (NewsAPI, the
    Guardian's and the New York Times' APIs); without this their records lose the title, the
    outlet or the text."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if not isinstance(value, dict):
            flat[key] = value
        elif key.strip().lower() in _NESTED_FIELDS:
            continue
        else:
            inner = next((value[k] for k in _NESTED_VALUE if isinstance(value.get(k), str)), None)
            flat[key] = inner if inner is not None else value
    for key, value in record.items():
        if isinstance(value, dict) and key.strip().lower() in _NESTED_FIELDS:
            for inner_key, inner in value.items():
                flat.setdefault(inner_key, inner)
    return flat


_CUT = re.compile(r"\[\+\d+ chars\]")
"""NewsAPI's mark where it cut an article's ``content`` ("… [+2345 chars]"): at the very end,
after an ellipsis (``…`` or ``...``) and spaces, all of which go (:func:`_provider_cut`)."""


def _provider_cut(body: str) -> int | None:
    """How much of ``body`` (stripped) is text, when it ends in :data:`_CUT` and holds
    something before it; None otherwise.

    Why the mark is looked for from the end: a pattern for "spaces, an ellipsis, spaces, the
    mark, the end" has no literal start for the regex engine to skip to, so searching the
    whole text tried it at every character: 0.4 ms an article, a tenth of reading and storing a
    JSONL record.
    """
    mark = body.rfind("[+")
    if mark < 0 or not _CUT.fullmatch(body, mark):
        return None
    kept = body[:mark].rstrip()
    for ellipsis in ("…", "..."):
        if kept.endswith(ellipsis):
            kept = kept[: -len(ellipsis)].rstrip()
            break
    return len(kept) if kept else None


CUT_BY_PROVIDER = "text cut by its provider"
"""The warning :func:`to_article` gives a record whose text ends in :data:`_CUT`; reading a
file (``storyline.sources.detect.read_file``) reports those once per file, not per record."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def clean(text: str) -> str:
    """Text that can be stored: lone surrogates (``"\\ud800"`` in JSON) become U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)


def _text(value: Any) -> str | None:
    if not _present(value):
        return None
    if isinstance(value, list):  # some scrapers store paragraphs as a list (of strings only)
        value = "\n\n".join(str(v) for v in value if _scalar(v) and _present(v))
    elif not _scalar(value):
        return None  # an object, or true/false: not text
    text = clean(str(value)).strip()
    return text or None


def language_code(value: Any) -> str | None:
    """An ISO 639-1 code from ``en``, ``en-US``, ``EN_gb``; None for anything else."""
    text = _text(value)
    if text is None:
        return None
    code = text.replace("_", "-").split("-")[0].lower()
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def to_article(
    record: Mapping[str, Any],
    columns: Columns,
    source: str,
    limit: int,
    day_first: bool | None = None,
) -> RawArticle | Problem:
    """One record as a raw article (date ``given``), or a skipped problem saying why not.

    ``day_first`` is the order its file writes numeric days in, when a table reader knows it
    (:mod:`storyline.sources.dayorder`)."""
    body = _text(record.get(columns.text)) if columns.text else None
    stand_in = None
    if body is None:
        stand_in = find(list(record), FALLBACK_TEXT_FIELDS, record)
        body = _text(record.get(stand_in)) if stand_in is not None else None
    if body is None:
        where = f"field {columns.text!r} is empty" if columns.text else "no text field"
        return Problem("skipped", source, f"{where} (looked for {', '.join(TEXT_FIELDS)})")
    size = len(body.encode("utf-8"))
    if size > limit:
        return Problem(
            "skipped",
            source,
            f"text of {size:,} bytes is over the {limit:,}-byte article limit (max_article_bytes)",
        )
    cut = _provider_cut(body)
    if cut is not None:
        body = body[:cut]
    article = RawArticle(text=body, source=source)
    if cut is not None:
        article.warnings.append(CUT_BY_PROVIDER)
    if stand_in is not None:
        empty = f"field {columns.text!r} is empty" if columns.text else "no text field"
        article.warnings.append(f"{empty}: its {stand_in!r} is stored as the text")
    article.title = _text(record.get(columns.title)) if columns.title else None
    if columns.date:
        published, problem = parse_timestamp(record.get(columns.date), day_first)
        if published is not None:
            article.published, article.date_source = published, "given"
        if problem:
            article.warnings.append(f"{columns.date}: {problem}")
    if columns.url and is_url(record.get(columns.url)):
        article.url = str(record[columns.url]).strip()
    if columns.language:
        article.language = language_code(record.get(columns.language))
    if columns.site:
        article.source_name = _text(record.get(columns.site))
    return article
