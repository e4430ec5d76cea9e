"""Curation over HTTP: one write route per edit kind, the edit log, undo, and the sentences a
person may choose for a date.

Why this shape: the routes are the CLI's verbs (``storyline entry pin STORY DATE`` is
``POST /stories/STORY/entries/DATE/pin``) and call the same :class:`storyline.corpus.Corpus`
methods, so the three shells share one contract and one JSON form of an edit. A route takes a
JSON object (API clients) or a form (the pages, which work without JavaScript) and answers the
edit as JSON, or sends a browser back to the page it came from. Writes exist only on a server
started ``--writable`` and only from its own pages (:func:`storyline.web.views.manage.check_write`);
a read-only server refuses each of them with the one error body (403). The author recorded is
the server's editor name ("web" unless ``create_app(editor=…)`` names the token's holder).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from storyline.corpus import Corpus
from storyline.curation.model import Edit, parse_sentence_ref
from storyline.errors import InputError
from storyline.timeline.choices import on_timeline
from storyline.web import reading
from storyline.web.errors import wants_html
from storyline.web.present import story_summary
from storyline.web.state import CorpusDep, TimelineParams
from storyline.web.views import page
from storyline.web.views.manage import COPY_CHUNK, check_write, safe_name

router = APIRouter()
LIST_FIELDS = frozenset({"articles"})
"""Form fields that may repeat (checkboxes) and are read as lists."""
MAX_CHOICES = 50
"""Sentences offered for one date: more than a person reads through to pick one."""


# --- bodies, as documented in /openapi.json ------------------------------------------------------
class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoBody(_Body):
    """Nothing is needed (an empty body, ``{}``, is fine)."""


class SentenceBody(_Body):
    sentence: str | None = Field(None, description="ARTICLE_ID:N (N counts from 0).")
    article_id: str | None = Field(None, description="Instead of sentence: the article id…")
    sentence_index: int | None = Field(None, description="…and the sentence index, from 0.")


class SwapBody(SentenceBody):
    position: int = Field(0, description="Which of the entry's sentences to replace (from 0).")


class CaptionBody(_Body):
    text: str = Field(description="The caption, in the person's own words.")


class RenameBody(_Body):
    label: str = Field(description="The story's new label.")


class MergeBody(_Body):
    other: str = Field(description="The story to merge with; the larger keeps its id.")


class SplitBody(_Body):
    articles: list[str] | None = Field(None, description="Articles that form the new part…")
    at: str | None = Field(None, description="…or a day: articles from that day on go.")


class MoveBody(_Body):
    to: str = Field(description="The story the article moves to.")


class DateBody(_Body):
    date: str = Field(description="The article's publication day, YYYY-MM-DD.")


class EditDone(BaseModel):
    """What every write route answers: the edit recorded, and the story to look at next."""

    model_config = ConfigDict(extra="allow")
    ok: bool = True
    edit: dict[str, Any]
    story_id: str | None = None


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON (or form) body of ``model``'s shape."""
    schema = model.model_json_schema()
    return {
        "requestBody": {
            "required": False,
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
            },
        }
    }


async def edit_fields(request: Request) -> dict[str, Any]:
    """The request's fields: a JSON object, or a form (repeated ``articles`` as a list).

    The write check comes first: a read-only server (or a cross-site post) gets its 403
    whatever the fields hold, before anything is parsed."""
    check_write(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            data = await request.json()
        except ValueError:
            raise InputError("the request body is not valid JSON") from None
        if not isinstance(data, dict):
            raise InputError("the request body must be a JSON object")
        return data
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        out: dict[str, Any] = {}
        for key in form:
            values = [v for v in form.getlist(key) if isinstance(v, str)]
            out[key] = values if key in LIST_FIELDS else (values[-1] if values else "")
        return out
    if (await request.body()).strip():
        raise InputError("send the fields as JSON (application/json) or as a form")
    return {}


Fields = Annotated[dict[str, Any], Depends(edit_fields)]


def _text(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"field {name!r} is required (text)")
    return value.strip()


def _index(fields: dict[str, Any], name: str, default: int | None = None) -> int:
    value = fields.get(name, default)
    if value in (None, "") and default is not None:
        value = default
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"field {name!r} must be a whole number") from None
    if number < 0:
        raise InputError(f"field {name!r} must be 0 or more")
    return number


def _sentence(fields: dict[str, Any]) -> tuple[str, int]:
    """``sentence: "ART:N"``, or ``article_id`` and ``sentence_index``."""
    if isinstance(fields.get("sentence"), str) and fields["sentence"].strip():
        return parse_sentence_ref(fields["sentence"])
    return _text(fields, "article_id"), _index(fields, "sentence_index")


def _editor(request: Request) -> str:
    return str(getattr(request.app.state, "editor", None) or "web")


def _back(fields: dict[str, Any], default: str) -> str:
    """Where a browser goes after a form: the page it names (a local path only), else
    ``default``. Why local only: an open redirect would let a link send readers anywhere."""
    back = fields.get("back")
    local = isinstance(back, str) and back.startswith("/") and not back.startswith("//")
    if local and not any(c in str(back) for c in "\\\r\n"):
        return str(back)
    return default


def _write(
    request: Request,
    corpus: Corpus,
    fields: dict[str, Any],
    act: Callable[[str], Edit],
    story_id: str | None,
    default_back: str | Callable[[Edit], str] | None = None,
) -> Response | dict[str, Any]:
    """Check the server may write, make the edit under the write lock, answer it."""
    pool = check_write(request)
    with pool.write_lock:
        edit = act(_editor(request))
    known = {s.id for s in corpus.stories()}
    where = next((s for s in (story_id, edit.story_id) if s is not None and s in known), None)
    if wants_html(request):
        fallback = default_back(edit) if callable(default_back) else default_back
        fallback = fallback or (f"/stories/{where}" if where else "/edits")
        return RedirectResponse(_back(fields, fallback), status_code=303)
    return {"ok": True, "edit": edit.as_dict(), "story_id": where}


_WRITE = {"tags": ["api"], "response_model": None, "responses": {200: {"model": EditDone}}}


# --- timeline entries ------------------------------------------------------------------------------
@router.post(
    "/stories/{story_id}/entries/{when}/pin",
    summary="Pin a timeline entry (kept whatever recomputations choose); --writable only",
    openapi_extra=_body(NoBody),
    **_WRITE,
)
def pin(
    request: Request, story_id: str, when: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    return _write(
        request, corpus, fields, lambda who: corpus.pin_entry(story_id, when, who), story_id
    )


@router.post(
    "/stories/{story_id}/entries/{when}/drop",
    summary="Drop a timeline entry (it stays dropped); --writable only",
    openapi_extra=_body(NoBody),
    **_WRITE,
)
def drop(
    request: Request, story_id: str, when: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    return _write(
        request, corpus, fields, lambda who: corpus.drop_entry(story_id, when, who), story_id
    )


@router.post(
    "/stories/{story_id}/entries/{when}/swap",
    summary="Swap an entry's sentence for another of the story's; --writable only",
    openapi_extra=_body(SwapBody),
    **_WRITE,
)
def swap(
    request: Request, story_id: str, when: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    article_id, index = _sentence(fields)
    position = _index(fields, "position", 0)
    return _write(
        request,
        corpus,
        fields,
        lambda who: corpus.swap_entry(story_id, when, article_id, index, position, who),
        story_id,
    )


@router.post(
    "/stories/{story_id}/entries/{when}/add",
    summary="Add a date to a story's timeline with a sentence from any article; --writable only",
    openapi_extra=_body(SentenceBody),
    **_WRITE,
)
def add(
    request: Request, story_id: str, when: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    article_id, index = _sentence(fields)
    return _write(
        request,
        corpus,
        fields,
        lambda who: corpus.add_entry(story_id, when, article_id, index, who),
        story_id,
    )


@router.post(
    "/stories/{story_id}/entries/{when}/caption",
    summary="Write an entry's caption in a person's own words (cites nothing); --writable only",
    openapi_extra=_body(CaptionBody),
    **_WRITE,
)
def caption(
    request: Request, story_id: str, when: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    text = _text(fields, "text")
    return _write(
        request,
        corpus,
        fields,
        lambda who: corpus.caption_entry(story_id, when, text, who),
        story_id,
    )


# --- stories -----------------------------------------------------------------------------------
@router.post(
    "/stories/{story_id}/rename",
    summary="Rename a story; --writable only",
    openapi_extra=_body(RenameBody),
    **_WRITE,
)
def rename(
    request: Request, story_id: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    label = _text(fields, "label")
    return _write(
        request, corpus, fields, lambda who: corpus.rename_story(story_id, label, who), story_id
    )


@router.post(
    "/stories/{story_id}/merge",
    summary="Merge another story into this one (the larger keeps its id); --writable only",
    openapi_extra=_body(MergeBody),
    **_WRITE,
)
def merge(
    request: Request, story_id: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    other = _text(fields, "other")
    return _write(
        request, corpus, fields, lambda who: corpus.merge_stories(story_id, other, who), None
    )


@router.post(
    "/stories/{story_id}/split",
    summary="Split a story by chosen articles or at a day; --writable only",
    openapi_extra=_body(SplitBody),
    **_WRITE,
)
def split(
    request: Request, story_id: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    chosen = fields.get("articles")
    at = fields.get("at")
    articles: list[str] | None = None
    if chosen not in (None, "", []):
        if isinstance(chosen, str):
            chosen = [chosen]
        if not isinstance(chosen, list) or not all(isinstance(a, str) for a in chosen):
            raise InputError("field 'articles' must be a list of article ids")
        articles = [a.strip() for a in chosen if a.strip()]
    day = at.strip() if isinstance(at, str) and at.strip() else None
    if articles is None and day is None:
        raise InputError("give 'articles' (the articles to split off) or 'at' (a day)")
    return _write(
        request,
        corpus,
        fields,
        lambda who: corpus.split_story(story_id, articles=articles, at=day, author=who),
        story_id,
    )


# --- articles ----------------------------------------------------------------------------------
@router.post(
    "/articles/{article_id}/move",
    summary="Move an article to another story; --writable only",
    openapi_extra=_body(MoveBody),
    **_WRITE,
)
def move(
    request: Request, article_id: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    to = _text(fields, "to")
    return _write(request, corpus, fields, lambda who: corpus.move_article(article_id, to, who), to)


@router.post(
    "/articles/{article_id}/exclude",
    summary="Keep an article out of every story; --writable only",
    openapi_extra=_body(NoBody),
    **_WRITE,
)
def exclude(
    request: Request, article_id: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    return _write(
        request,
        corpus,
        fields,
        lambda who: corpus.exclude_article(article_id, who),
        None,
        f"/articles/{article_id}",
    )


@router.post(
    "/articles/{article_id}/date",
    summary="Correct an article's date (date_source becomes user); --writable only",
    openapi_extra=_body(DateBody),
    **_WRITE,
)
def set_date(
    request: Request, article_id: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    day = _text(fields, "date")
    return _write(
        request,
        corpus,
        fields,
        lambda who: corpus.set_article_date(article_id, day, who),
        None,
        f"/articles/{article_id}",
    )


@router.post(
    "/articles/{article_id}/delete",
    summary="Delete an article and what was derived from it (undo restores it); --writable only",
    openapi_extra=_body(NoBody),
    **_WRITE,
)
def delete(
    request: Request, article_id: str, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    return _write(
        request, corpus, fields, lambda who: corpus.delete_article(article_id, who), None, "/"
    )


@router.post(
    "/articles/{article_id}/replace",
    summary="Replace an article by a corrected version of it (one file); --writable only",
    dependencies=[Depends(check_write)],
    **_WRITE,
)
def replace(
    request: Request,
    article_id: str,
    corpus: CorpusDep,
    file: Annotated[
        UploadFile, File(description="The corrected article (any format ingest reads).")
    ],
) -> Response | dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="storyline-replace-") as tmp:
        path = Path(tmp) / safe_name(file.filename, 0)
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out, COPY_CHUNK)
        return _write(
            request,
            corpus,
            {},
            lambda who: corpus.replace_article(article_id, path, who),
            None,
            lambda edit: f"/articles/{edit.target['new_article']}",
        )


# --- the log, undo -------------------------------------------------------------------------------
@router.post(
    "/edits/{edit_id}/undo",
    summary="Undo one edit (refused, naming them, when later edits touch the same objects)",
    openapi_extra=_body(NoBody),
    **_WRITE,
)
def undo(
    request: Request, edit_id: int, corpus: CorpusDep, fields: Fields
) -> Response | dict[str, Any]:
    return _write(request, corpus, fields, lambda who: corpus.undo(edit_id, who), None)


StoryFilter = Annotated[str | None, Query(description="Only the edits naming this story.")]


def edit_rows(edits: list[Edit]) -> list[dict[str, Any]]:
    """Edits newest first, each with its one-line description (what the log shows)."""
    return [{**e.as_dict(), "text": e.describe(), "active": e.active} for e in reversed(edits)]


@router.get(
    "/edits.json",
    tags=["api"],
    summary="The edit log, newest first (every edit, or those naming ?story=)",
)
def edits_json(corpus: CorpusDep, story: StoryFilter = None) -> dict[str, Any]:
    return {"ok": True, "story_id": story, "edits": edit_rows(corpus.edits(story))}


@router.get("/edits", response_class=HTMLResponse, tags=["pages"], summary="Edit log page")
def edits_page(request: Request, corpus: CorpusDep, story: StoryFilter = None) -> HTMLResponse:
    rows = edit_rows(corpus.edits(story))
    suffix = f"?story={story}" if story else ""
    return page(
        request,
        "edits.html",
        {
            "edits": rows,
            "story_id": story,
            "title": "Edit log" + (f": story {story}" if story else ""),
            "back": f"/edits{suffix}",
            "json_url": f"/edits.json{suffix}",
        },
    )


MERGE_CHOICES = 200
"""Stories offered by name in the merge box (largest first); any other is typed by id."""


def story_context(corpus: Corpus, story_id: str, writable: bool) -> dict[str, Any]:
    """What the story page adds for curation: its edit log, and (when writable) the stories
    it could be merged with."""
    out: dict[str, Any] = {"edits": edit_rows(corpus.edits(story_id)), "merge_choices": []}
    if writable:
        page = corpus.store.story_page(MERGE_CHOICES + 1)  # largest first, through the index
        others = [(s, size) for s, size in page if s.id != story_id]
        out["merge_choices"] = [story_summary(s, size=size) for s, size in others[:MERGE_CHOICES]]
    return out


# --- what a person may choose for a date -----------------------------------------------------------
DateQuery = Annotated[
    str, Query(min_length=4, max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY.")
]


def _choices(corpus: Corpus, story_id: str, when: str) -> dict[str, Any]:
    story, size = reading.story(corpus, story_id)
    timeline, _ = reading.story_timeline(corpus, story_id, TimelineParams())
    choices = corpus.sentence_choices(story_id, when, MAX_CHOICES)
    label = when.strip()
    entry = next((e for e in timeline.entries if e.label == label), None)
    current = on_timeline(timeline, label)
    return {
        "ok": True,
        "story": story_summary(story, size=size),
        "date": label,
        "entry": entry.as_dict() if entry else None,
        "choices": [
            {
                **c.as_dict(),
                "ref": f"{c.article_id}:{c.sentence_index}",
                "on_timeline": (c.article_id, c.sentence_index) in current,
                "link": f"/articles/{c.article_id}#s{c.sentence_index}",
            }
            for c in choices
        ],
    }


@router.get(
    "/stories/{story_id}/choices.json",
    tags=["api"],
    summary="Sentences of a story a person may choose for a date (to swap in, or to add it)",
)
def choices_json(story_id: str, corpus: CorpusDep, date: DateQuery) -> dict[str, Any]:
    return _choices(corpus, story_id, date)


@router.get(
    "/stories/{story_id}/choices",
    response_class=HTMLResponse,
    tags=["pages"],
    summary="Choose a sentence for a date of a story's timeline",
)
def choices_page(
    request: Request, story_id: str, corpus: CorpusDep, date: DateQuery
) -> HTMLResponse:
    data = _choices(corpus, story_id, date)
    return page(
        request,
        "choices.html",
        {
            **data,
            "title": f"{data['story']['label']}: {data['date']}",
            "json_url": f"/stories/{story_id}/choices.json?date={data['date']}",
        },
    )
