"""Commands that fill and browse the store: ``ingest``, ``articles``, ``show``, ``stats``."""

from __future__ import annotations

import dataclasses
import sys
from contextlib import ExitStack
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline.cli.app import (
    DEFAULT_DB,
    DaskOption,
    DbOption,
    JsonOption,
    LimitOption,
    app,
    console,
    err_console,
    parse_day,
    print_json,
    problem_line,
)
from storyline.corpus import Corpus
from storyline.parallel import DaskWorkers
from storyline.records import Article
from storyline.settings import Config
from storyline.sources.base import ReadOptions


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (recursive), globs, or - for stdin.")
    ],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    text_column: Annotated[
        str | None, typer.Option(help="CSV: the column holding the article text.")
    ] = None,
    title_column: Annotated[str | None, typer.Option(help="CSV: the title column.")] = None,
    date_column: Annotated[
        str | None, typer.Option(help="CSV: the publication date column.")
    ] = None,
    url_column: Annotated[str | None, typer.Option(help="CSV: the URL column.")] = None,
    dask: DaskOption = None,
    split_item_pages: Annotated[
        bool,
        typer.Option(
            "--split-item-pages",
            help="A page of several outlets' items (an outlet's name, a title, its text; as "
            "aggregators' pages are scraped) is stored as one article per item.",
        ),
    ] = False,
) -> None:
    """Read articles into the store: dedupe, split sentences, tag dates, date the undated."""
    options = ReadOptions(text_column, title_column, date_column, url_column)
    config = Config()
    if split_item_pages:
        config = dataclasses.replace(
            config, ingest=dataclasses.replace(config.ingest, split_item_pages=True)
        )
    with ExitStack() as stack:
        # the workers first: a scheduler that cannot be reached leaves no store file behind
        workers = stack.enter_context(DaskWorkers(dask)) if dask else None
        corpus = stack.enter_context(Corpus(db, config=config))
        show_progress = not (quiet or as_json) and sys.stderr.isatty()
        if show_progress:
            with Progress(
                TextColumn("ingesting"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=err_console,
                transient=True,
            ) as bar:
                task = bar.add_task("", total=None)
                report = corpus.ingest(
                    paths,
                    progress=lambda name: bar.update(task, advance=1, description=name[-50:]),
                    options=options,
                    workers=workers,
                )
        else:
            report = corpus.ingest(paths, options=options, workers=workers)
    if as_json:
        print_json(report.as_dict())
    else:
        console.print(
            f"accepted {report.accepted} (new, stored) · duplicates {report.duplicates} "
            f"(already stored) · near-duplicates {report.near_duplicates} (stored, linked) · "
            f"skipped {len(report.skipped)} · warnings {len(report.warnings)}",
            highlight=False,
        )
        for p in [*report.skipped, *report.warnings]:
            console.print(problem_line(p), highlight=False)
    if report.unreadable:
        raise typer.Exit(1)


def _headline(a: Article, width: int = 90) -> str:
    text = a.title or a.text.split("\n", 1)[0]
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def articles(
    query: Annotated[str | None, typer.Option("--query", "-q", help="Full-text search.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    limit: LimitOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """List stored articles (all matches with --json unless --limit; 50 in the table)."""
    with Corpus(db, create=False) as corpus:
        found = corpus.articles(
            query=query,
            since=parse_day(since, "--since"),
            until=parse_day(until, "--until"),
            limit=limit if (limit is not None or as_json) else 50,
        )
        total = corpus.store.count_articles()
    if as_json:
        print_json([a.summary() for a in found])
        return
    table = Table("id", "published", "from", "title", title=f"{len(found)} shown of {total} stored")
    for a in found:
        table.add_row(
            a.id,
            a.date_label or "—",
            a.date_source or "—",
            escape(_headline(a)),
        )
    console.print(table)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="An article id (see `storyline articles`).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one article: its date and how it was obtained, its sentences and time expressions."""
    with Corpus(db, create=False) as corpus:
        article = corpus.article(article_id)
        sentences = corpus.sentences(article_id)
        timexes = corpus.timexes(article_id)
    if as_json:
        data = article.as_dict()
        data["sentences"] = [s.as_dict() for s in sentences]
        data["timexes"] = [t.as_dict() for t in timexes]
        print_json(data)
        return
    console.print(f"[bold]{escape(article.title or '(untitled)')}[/bold]")
    dated = article.date_label or "undated"
    how = article.date_source or "—"
    if article.date_source == "inferred" and article.date_granularity != "day":
        how += f", to the {article.date_granularity}"
    if article.date_confidence is not None:
        how += f", confidence {article.date_confidence:.2f}"
    console.print(
        f"{article.id} · {dated} ({how}) · {article.language} · {escape(article.url or article.source)}"
    )
    for line in article.date_evidence:
        console.print(f"  evidence: {escape(line)}", highlight=False)
    if article.duplicate_of:
        console.print(f"near-duplicate of {article.duplicate_of}")
    by_sentence: dict[int | None, list[str]] = {}
    for t in timexes:
        by_sentence.setdefault(t.sentence_index, []).append(f"{t.text} → {t.value}")
    for s in sentences:
        console.print(f"[dim]{s.index:>3}[/dim] {escape(s.text)}", highlight=False)
        for note in by_sentence.get(s.index, []):
            console.print(f"      [cyan]{escape(note)}[/cyan]", highlight=False)


@app.command()
def stats(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Counts: articles by date source and language, sentences, expressions, stories."""
    with Corpus(db, create=False) as corpus:
        figures = corpus.stats()
    if as_json:
        print_json(figures)
        return
    table = Table("what", "count", title=f"store {figures['store']}")
    for key, value in figures.items():
        if key == "store":
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "—"
        table.add_row(key.replace("_", " "), str(value if value is not None else "—"))
    console.print(table)
