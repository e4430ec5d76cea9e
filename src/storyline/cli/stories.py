"""Commands of the stories area: ``stories``, ``show-story``, ``build-stories``, ``eval stories``."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.app import (
    DEFAULT_DB,
    DaskOption,
    DbOption,
    JsonOption,
    LimitOption,
    app,
    console,
    eval_app,
    print_json,
)
from storyline.corpus import Corpus
from storyline.evaluate.stories_eval import describe_paths, evaluate_stories
from storyline.parallel import DaskWorkers
from storyline.records import Story
from storyline.stories.summaries import span_labels
from storyline.stories.threads import threads


def _row(s: Story) -> dict[str, Any]:
    return {
        "id": s.id,
        "label": s.label,
        "articles": list(s.article_ids),
        "first": s.first.isoformat() if s.first else None,
        "last": s.last.isoformat() if s.last else None,
    }


def _by_size(stories: list[Story]) -> list[Story]:
    """Largest stories first (then the most recent): the ones a reader most likely wants."""
    return sorted(
        stories, key=lambda s: (-len(s.article_ids), -(s.last.toordinal() if s.last else 0), s.id)
    )


def _span(s: Story, labels: tuple[str, str] | None = None) -> str:
    """The story's dates; ``labels`` (from :func:`span_labels`) shows an end known only to its
    month or year as such."""
    first, last = labels or (
        s.first.isoformat() if s.first else "",
        s.last.isoformat() if s.last else "",
    )
    first, last = first or "undated", last or "undated"
    return first if first == last else f"{first} … {last}"


@app.command()
def stories(
    limit: LimitOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """List the stories, largest first (all with --json unless --limit; 50 in the table)."""
    with Corpus(db, read_only=True) as corpus:
        found = _by_size(corpus.stories())
        shown = found[:limit] if limit is not None else (found if as_json else found[:50])
        spans = {} if as_json else span_labels(corpus.store, shown)
    if as_json:
        print_json([_row(s) for s in shown])
        return
    if not found:
        console.print("no stories yet: run `storyline build-stories`")
        return
    table = Table("id", "articles", "dates", "label", title=f"{len(shown)} of {len(found)} stories")
    for s in shown:
        table.add_row(s.id, str(len(s.article_ids)), _span(s, spans[s.id]), escape(s.label))
    console.print(table)


@app.command("show-story")
def show_story(
    story_id: Annotated[str, typer.Argument(help="A story id (see `storyline stories`).")],
    with_threads: Annotated[
        bool, typer.Option("--threads", help="Also group its articles into event threads.")
    ] = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one story: its label, span of dates and its articles in publication order."""
    with Corpus(db, read_only=True) as corpus:
        story = corpus.story(story_id)
        articles = corpus.store.articles(ids=story.article_ids[:900])
        found = threads(corpus.store, story_id) if with_threads else []
        span = _span(story, span_labels(corpus.store, [story])[story.id])
    if as_json:
        data = _row(story)
        data["parent_id"] = story.parent_id
        data["titles"] = {a.id: a.title for a in articles}
        if with_threads:
            data["threads"] = [_row(t) for t in found]
        print_json(data)
        return
    console.print(f"[bold]{escape(story.label)}[/bold]")
    console.print(f"{story.id} · {len(story.article_ids)} articles · {span}")
    if with_threads:
        _print_threads(found)
        return
    for a in articles:
        dated = f"{a.date_label:<10}" if a.published else "undated   "
        title = a.title or a.text.split("\n", 1)[0][:90]
        console.print(f"  {dated}  {a.id}  {escape(title)}", highlight=False)
    if len(story.article_ids) > len(articles):
        console.print(f"  … and {len(story.article_ids) - len(articles)} more (see --json)")


def _print_threads(found: list[Story]) -> None:
    several = [t for t in found if len(t.article_ids) > 1]
    for t in several:
        console.print(
            f"  {len(t.article_ids):>4}  {_span(t)}  {escape(t.label)}  [dim]{t.id}[/dim]",
            highlight=False,
        )
    console.print(f"  {len(found) - len(several)} articles stand alone", highlight=False)


@app.command("build-stories")
def build_stories(
    full: Annotated[
        bool, typer.Option("--full", help="Rebuild from scratch instead of placing new articles.")
    ] = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    dask: DaskOption = None,
) -> None:
    """Group the stored articles into stories (new articles only, unless --full)."""
    with ExitStack() as stack:
        corpus = stack.enter_context(Corpus(db, create=False))
        workers = stack.enter_context(DaskWorkers(dask)) if dask else None
        found, articles = corpus.group_stories(full=full, workers=workers)
    if as_json:
        print_json({"stories": found, "articles": articles})
        return
    console.print(f"{found} stories over {articles} articles", highlight=False)


@eval_app.command("stories")
def eval_stories(
    folder: Annotated[str, typer.Argument(help="A Timeline17-layout folder (topics = prefixes).")],
    with_paths: Annotated[
        list[str] | None,
        typer.Option("--with", help="More files/folders, each one story of its own (repeatable)."),
    ] = None,
    overlap: Annotated[
        bool,
        typer.Option(
            "--overlap",
            help="Move each topic by whole weeks (its TIMEX values too) so the topics' median "
            "dates coincide: concurrent stories.",
        ),
    ] = False,
    leave_one_out: Annotated[
        bool,
        typer.Option("--leave-one-out", help="Also score the mix with each topic left out."),
    ] = False,
    no_gold: Annotated[
        bool,
        typer.Option(
            "--no-gold",
            help="FOLDER (+ --with) has no topics: report story sizes and the largest stories.",
        ),
    ] = False,
    db: Annotated[
        str | None, typer.Option("--db", help="Use this store instead of a temporary one.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score story detection against the topics of FOLDER: B-cubed and pairwise P/R/F1."""
    if no_gold:
        described = describe_paths([folder, *(with_paths or [])], db=db)
        if as_json:
            print_json(described)
        else:
            _print_description(described)
        return
    result = evaluate_stories(
        folder, with_paths or [], db=db, overlap=overlap, leave_one_out=leave_one_out
    )
    if as_json:
        print_json(result)
        return
    if overlap:
        shifts = ", ".join(f"{t} {d:+d} d" for t, d in result["overlap_shift_days"].items())
        console.print(f"overlap mix: {escape(shifts)}", highlight=False)
    _print_scores("all topics", result)
    for run in result.get("leave_one_out", []):
        _print_scores(f"without {run['left_out']}", run)


def _print_scores(title: str, result: dict[str, Any]) -> None:
    console.print(
        f"{escape(title)}: {result['articles']} articles · {result['stories_true']} true stories · "
        f"{result['stories_found']} found · {result['seconds']:.2f} s",
        highlight=False,
    )
    for name in ("bcubed", "pairwise"):
        prf = result[name]
        console.print(
            f"  {name:<9} P {prf['precision']:.3f}  R {prf['recall']:.3f}  F1 {prf['f1']:.3f}",
            highlight=False,
        )


def _print_description(described: dict[str, Any]) -> None:
    console.print(
        f"{described['articles']} articles · {described['stories']} stories · largest holds "
        f"{described['largest_share']:.1%} · {described['seconds']:.2f} s",
        highlight=False,
    )
    buckets = "  ".join(f"{k}: {v}" for k, v in described["size_buckets"].items())
    console.print(f"stories by size  {buckets}", highlight=False)
    for s in described["largest"]:
        console.print(f"  {s['articles']:>5}  {escape(s['label'])}", highlight=False)
