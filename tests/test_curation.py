"""Curation as a user meets it: edits through the real CLI on a real SQLite store, kept through
`build-stories --full` and incremental ingests, undone exactly, refused when a later edit
depends on them, and said in every export.

The store is examples/raa (one story of 14 articles) plus small generated running stories, so
nothing here needs ../shared. Edits go through the CLI; the state is read back with the library
(the same store file), which is what the web server and the exports read.
"""

from __future__ import annotations

import getpass
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import RunCli
from storyline.corpus import DEFAULT_TIMELINE, Corpus
from storyline.timeline.candidates import load_pool
from storyline.timeline.choices import choice_article_ids, sentence_choices

RAA = Path(__file__).resolve().parent.parent / "examples" / "raa"

VOLCANO = [
    "The Katla volcano in southern Iceland erupted {when}, sending an ash cloud over Reykjavik.",
    "The Icelandic Met Office raised the aviation alert for Katla to red as the ash plume grew.",
    "Flights from Keflavik airport were grounded while the Katla ash cloud drifted to Europe.",
    "Farmers near Vik evacuated livestock as Katla meltwater floods swept the Myrdalsjokull.",
]
STRIKE = [
    "Sydney ferry crews walked off the job {when} in a pay dispute with Transport for NSW.",
    "The Maritime Union of Australia said ferry masters at Circular Quay would strike again.",
    "Commuters crowded onto Harbour Bridge buses as the Manly ferry service was cancelled.",
    "Transport Minister Jo Haylen urged the Maritime Union to return to the Fair Work Commission.",
]
FLOOD = [
    "The Brahmaputra burst its banks in Assam {when}, flooding villages around Dibrugarh.",
    "Assam disaster officials moved Dibrugarh families to relief camps as the Brahmaputra rose.",
    "Rescue boats reached Majuli island after the Brahmaputra flood cut the Assam ferry routes.",
    "The Assam chief minister toured Dibrugarh relief camps and promised compensation to farmers.",
]
STARTS = {"volcano": date(2021, 3, 1), "strike": date(2021, 3, 3), "flood": date(2021, 3, 2)}
LINES = {"volcano": VOLCANO, "strike": STRIKE, "flood": FLOOD}


def _article(tag: str, k: int) -> str:
    lines = LINES[tag]
    day = STARTS[tag] + timedelta(days=3 * k)
    body = [lines[(k + i) % len(lines)].format(when="on Tuesday") for i in range(4)]
    return f"date {day.isoformat()}\n" + "\n".join(body) + f"\nUpdate {k} from the {tag} desk.\n"


def write_articles(folder: Path, tags: tuple[str, ...], ks: range) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for tag in tags:
        for k in ks:
            (folder / f"{tag}{k}.txt").write_text(_article(tag, k), encoding="utf-8")


def _storyline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "storyline", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/raa and three generated running stories, ingested once for the module."""
    root = tmp_path_factory.mktemp("curation")
    write_articles(root / "gen", ("volcano", "strike", "flood"), range(4))
    shutil.copytree(RAA, root / "raa")
    done = _storyline("ingest", "--db", "base.db", "raa", "gen", cwd=root)
    assert done.returncode == 0, done.stderr
    return root / "base.db"


@pytest.fixture
def db(base_db: Path, tmp_path: Path) -> Path:
    """A copy of the module's store for one test (edits change it)."""
    target = tmp_path / "store.db"
    shutil.copy(base_db, target)
    return target


# --- reading the state back ----------------------------------------------------------------------
def article_ids(db: Path) -> dict[str, str]:
    """File name (without folder) → article id."""
    with Corpus(db, read_only=True) as corpus:
        return {Path(a.source).name: a.id for a in corpus.articles()}


def stories_of(db: Path) -> dict[str, dict[str, Any]]:
    with Corpus(db, read_only=True) as corpus:
        return {s.id: s.as_dict() for s in corpus.stories()}


def story_holding(db: Path, article_id: str) -> str:
    [found] = [s for s, d in stories_of(db).items() if article_id in d["article_ids"]]
    return found


def timeline_of(db: Path, story: str) -> dict[str, Any]:
    with Corpus(db, read_only=True) as corpus:
        return corpus.timeline(story=story).as_dict()


def entries(db: Path, story: str) -> dict[str, dict[str, Any]]:
    return {e["date"]: e for e in timeline_of(db, story)["entries"]}


def snapshot(db: Path) -> str:
    """Everything a reader can see: stories, every story's timeline (computed and stored),
    articles with their dates."""
    with Corpus(db, read_only=True) as corpus:
        stories = corpus.stories()
        state = {
            "stories": [s.as_dict() for s in stories],
            "timelines": {s.id: corpus.timeline(story=s.id).as_dict() for s in stories},
            "stored": {s.id: corpus.store.load_timeline(s.id, DEFAULT_TIMELINE) for s in stories},
            "articles": [a.as_dict() for a in corpus.articles()],
        }
    return json.dumps(state, sort_keys=True, default=str)


def ok(run_cli: RunCli, *args: str) -> dict[str, Any]:
    """Run one edit command with --json; it must succeed and print the edit."""
    result = run_cli(*args, "--json")
    assert result.code == 0, result.err
    edit = result.json()
    assert isinstance(edit, dict)
    return edit


def fails(run_cli: RunCli, *args: str) -> str:
    """Run a command that must fail with one line on stderr (no traceback); return the line."""
    result = run_cli(*args)
    assert result.code == 1, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    return lines[0]


RAA_FIRST = "howard-abe-security-declaration.txt"  # 2007: the raa story's earliest article
RAA_LATE = "morrison-suga-agreement.txt"  # 2020


# --- every edit kind, kept through a full rebuild and an incremental ingest --------------------
def test_every_edit_kind_survives_a_full_rebuild_and_an_incremental_ingest(
    db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    d = str(db)
    ids = article_ids(db)
    raa = story_holding(db, ids[RAA_FIRST])
    volcano, strike, flood = (story_holding(db, ids[f"{t}0.txt"]) for t in LINES)
    assert len({raa, volcano, strike, flood}) == 4

    # Story edits.
    split = ok(run_cli, "story", "split", raa, "--at", "2020-01-01", "--db", d)
    late = split["target"]["new_story"]
    ok(run_cli, "story", "rename", raa, "Japan and Australia before 2020", "--db", d)
    merged = ok(run_cli, "story", "merge", strike, flood, "--db", d)
    kept = merged["payload"]["keep"]
    assert kept in (strike, flood)
    ok(run_cli, "story", "move", ids["volcano3.txt"], "--to", kept, "--db", d)
    ok(run_cli, "story", "exclude", ids["volcano2.txt"], "--db", d)

    # Article edits.
    ok(run_cli, "article", "set-date", ids["volcano1.txt"], "2021-02-20", "--db", d)
    ok(run_cli, "article", "delete", ids["volcano0.txt"], "--db", d)
    corrected = tmp_path / "strike1-corrected.txt"
    corrected.write_text(
        _article("strike", 1).replace("Update 1", "Correction: update 1"), encoding="utf-8"
    )
    replaced = ok(run_cli, "article", "replace", ids["strike1.txt"], str(corrected), "--db", d)
    new_strike1 = replaced["target"]["new_article"]

    # Timeline edits on the raa story (before 2020 now) and on the merged story.
    dates = list(entries(db, raa))
    assert len(dates) >= 4 and all(x < "2020" for x in dates)
    pinned, dropped, swapped = dates[0], dates[1], dates[2]
    ok(run_cli, "entry", "pin", raa, pinned, "--db", d)
    pinned_entry = entries(db, raa)[pinned]
    ok(run_cli, "entry", "drop", raa, dropped, "--db", d)
    shown = {(s["article_id"], s["sentence_index"]) for s in entries(db, raa)[swapped]["sentences"]}
    with Corpus(db, read_only=True) as corpus:
        members = corpus.story(raa).article_ids
        other = next(
            (a, s.index) for a in members for s in corpus.sentences(a) if (a, s.index) not in shown
        )
    ok(run_cli, "entry", "swap", raa, swapped, "--sentence", f"{other[0]}:{other[1]}", "--db", d)
    ok(
        run_cli,
        "entry",
        "add",
        raa,
        "2019-06-01",
        "--sentence",
        f"{ids['volcano1.txt']}:0",
        "--db",
        d,
    )
    ok(
        run_cli,
        "entry",
        "caption",
        raa,
        "2012",
        "Talks on a visiting forces pact begin.",
        "--db",
        d,
    )
    merged_dates = list(entries(db, kept))
    ok(run_cli, "entry", "pin", kept, merged_dates[0], "--db", d)

    def holds() -> None:
        stories = stories_of(db)
        now = article_ids(db)
        assert stories[raa]["label"] == "Japan and Australia before 2020"
        assert now[RAA_FIRST] in stories[raa]["article_ids"]
        assert now[RAA_LATE] in stories[late]["article_ids"]
        assert now[RAA_LATE] not in stories[raa]["article_ids"]
        for tag in ("strike", "flood"):
            for name, article in now.items():
                if name.startswith(tag):
                    assert article in stories[kept]["article_ids"], name
        gone = ({strike, flood} - {kept}).pop()
        assert gone not in stories
        assert now["volcano3.txt"] in stories[kept]["article_ids"]
        assert all(now["volcano2.txt"] not in s["article_ids"] for s in stories.values())
        assert "volcano0.txt" not in now
        assert (
            new_strike1 in stories[kept]["article_ids"] and ids["strike1.txt"] not in now.values()
        )
        with Corpus(db, read_only=True) as corpus:
            moved = corpus.article(now["volcano1.txt"])
        assert (moved.published, moved.date_source) == (date(2021, 2, 20), "user")
        timeline = entries(db, raa)
        assert timeline[pinned]["provenance"] == "pinned"
        assert timeline[pinned]["sentences"] == pinned_entry["sentences"]
        assert dropped not in timeline
        assert timeline[swapped]["provenance"] == "swapped"
        first = timeline[swapped]["sentences"][0]
        assert (first["article_id"], first["sentence_index"]) == other
        assert timeline["2019-06-01"]["provenance"] == "added"
        assert timeline["2019-06-01"]["sentences"][0]["article_id"] == now["volcano1.txt"]
        assert timeline["2012"]["provenance"] == "caption"
        assert timeline["2012"]["caption"] == "Talks on a visiting forces pact begin."
        assert timeline["2012"]["sentences"] == []
        assert entries(db, kept)[merged_dates[0]]["provenance"] == "pinned"

    holds()
    rebuilt = run_cli("build-stories", "--full", "--db", d)
    assert rebuilt.code == 0, rebuilt.err
    holds()
    # New reports of the merged story arrive: they join it, and its timeline gains their dates
    # while the pinned entry stays.
    write_articles(tmp_path / "more", ("strike", "flood"), range(4, 7))
    ingested = run_cli("ingest", str(tmp_path / "more"), "--db", d)
    assert ingested.code == 0, ingested.err
    holds()
    now = article_ids(db)
    fresh = [now[f"{t}{k}.txt"] for t in ("strike", "flood") for k in range(4, 7)]
    assert set(fresh) <= set(stories_of(db)[kept]["article_ids"])
    later = [x for x in entries(db, kept) if x > "2021-03-14"]
    assert later, entries(db, kept).keys()

    log = run_cli("edits", "--json", "--db", d)
    assert log.code == 0, log.err
    made = log.json()
    assert isinstance(made, list) and len(made) == 14
    assert {e["author"] for e in made} == {getpass.getuser()}
    assert all(e["undone_by"] is None and e["time"] for e in made)


# --- undo restores the state exactly -------------------------------------------------------------
KINDS = [
    "story merge",
    "story split --articles",
    "story split --at",
    "story move",
    "story rename",
    "story exclude",
    "entry pin",
    "entry drop",
    "entry swap",
    "entry add",
    "entry caption",
    "article set-date",
    "article delete",
    "article replace",
]


def _edit_args(kind: str, db: Path, tmp_path: Path) -> list[str]:
    ids = article_ids(db)
    raa = story_holding(db, ids[RAA_FIRST])
    strike, flood = story_holding(db, ids["strike0.txt"]), story_holding(db, ids["flood0.txt"])
    dates = list(entries(db, raa))
    if kind == "story merge":
        return ["story", "merge", strike, flood]
    if kind == "story split --articles":
        return ["story", "split", raa, "--articles", ids[RAA_LATE]]
    if kind == "story split --at":
        return ["story", "split", raa, "--at", "2017-01-01"]
    if kind == "story move":
        return ["story", "move", ids["volcano1.txt"], "--to", strike]
    if kind == "story rename":
        return ["story", "rename", raa, "Reciprocal access"]
    if kind == "story exclude":
        return ["story", "exclude", ids[RAA_LATE]]
    if kind in ("entry pin", "entry drop"):
        return kind.split() + [raa, dates[1]]
    if kind == "entry swap":
        shown = {
            (s["article_id"], s["sentence_index"]) for s in entries(db, raa)[dates[0]]["sentences"]
        }
        with Corpus(db, read_only=True) as corpus:
            pick = next(
                f"{a}:{s.index}"
                for a in corpus.story(raa).article_ids
                for s in corpus.sentences(a)
                if (a, s.index) not in shown
            )
        return ["entry", "swap", raa, dates[0], "--sentence", pick]
    if kind == "entry add":
        return ["entry", "add", raa, "2001-09-11", "--sentence", f"{ids['flood2.txt']}:1"]
    if kind == "entry caption":
        return ["entry", "caption", raa, dates[0], "The first declaration."]
    if kind == "article set-date":
        return ["article", "set-date", ids[RAA_LATE], "2020-11-18"]
    if kind == "article delete":
        return ["article", "delete", ids[RAA_LATE]]
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(_article("flood", 2).replace("Update 2", "Update 2 (corrected)"))
    return ["article", "replace", ids["flood2.txt"], str(corrected)]


@pytest.mark.parametrize("kind", KINDS)
def test_undo_gives_back_exactly_the_state_before_the_edit(
    kind: str, db: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    before = snapshot(db)
    edit = ok(run_cli, *_edit_args(kind, db, tmp_path), "--db", str(db))
    assert edit["kind"] == kind.split(" --")[0].replace(" ", ".").replace("set-date", "set_date")
    assert snapshot(db) != before
    undone = ok(run_cli, "undo", str(edit["id"]), "--db", str(db))
    assert undone["kind"] == "undo" and undone["target"] == {"edit": edit["id"]}
    assert snapshot(db) == before
    log = run_cli("edits", "--json", "--db", str(db)).json()
    assert isinstance(log, list)
    assert [e["undone_by"] for e in log] == [undone["id"], None]
    assert "already undone" in fails(run_cli, "undo", str(edit["id"]), "--db", str(db))


# --- undo refused when a later edit depends on it -------------------------------------------------
def test_undo_is_refused_while_a_later_edit_touches_the_same_objects(
    db: Path, run_cli: RunCli
) -> None:
    d = str(db)
    ids = article_ids(db)
    raa = story_holding(db, ids[RAA_FIRST])
    day = list(entries(db, raa))[0]
    rename = ok(run_cli, "story", "rename", raa, "First name", "--db", d)
    pin = ok(run_cli, "entry", "pin", raa, day, "--db", d)
    caption = ok(run_cli, "entry", "caption", raa, day, "My words.", "--db", d)
    other = ok(run_cli, "entry", "drop", raa, list(entries(db, raa))[2], "--db", d)
    state = snapshot(db)
    listed = run_cli("edits", "--story", raa, "--json", "--db", d).json()
    assert isinstance(listed, list)
    assert [e["id"] for e in listed] == [rename["id"], pin["id"], caption["id"], other["id"]]

    line = fails(run_cli, "undo", str(pin["id"]), "--db", d)
    assert f"cannot undo edit {pin['id']}" in line and str(caption["id"]) in line
    assert str(other["id"]) not in line  # another date of the timeline is another object
    line = fails(run_cli, "undo", str(rename["id"]), "--db", d)  # the story's entries depend
    assert str(pin["id"]) in line and str(caption["id"]) in line
    assert snapshot(db) == state  # a refused undo changes nothing

    ok(run_cli, "undo", str(caption["id"]), "--db", d)
    ok(run_cli, "undo", str(pin["id"]), "--db", d)
    assert entries(db, raa)[day]["provenance"] == "machine"


# --- bad input: one line, exit 1, nothing stored ----------------------------------------------------
def test_bad_ids_and_dates_are_one_line_and_change_nothing(db: Path, run_cli: RunCli) -> None:
    d = str(db)
    ids = article_ids(db)
    raa = story_holding(db, ids[RAA_FIRST])
    before = snapshot(db)
    assert "no story with id 'nope'" in fails(run_cli, "story", "rename", "nope", "X", "--db", d)
    assert "no article" in fails(run_cli, "story", "exclude", "nope", "--db", d)
    assert "not a date" in fails(
        run_cli, "article", "set-date", ids[RAA_FIRST], "2020-02-30", "--db", d
    )
    assert "not a timeline date" in fails(run_cli, "entry", "pin", raa, "2020-13", "--db", d)
    assert "has no entry on 1999-01-01" in fails(
        run_cli, "entry", "drop", raa, "1999-01-01", "--db", d
    )
    assert "not a sentence" in fails(
        run_cli, "entry", "add", raa, "1999-01-01", "--sentence", "abc", "--db", d
    )
    assert "has no sentence 999" in fails(
        run_cli, "entry", "add", raa, "1999-01-01", "--sentence", f"{ids[RAA_FIRST]}:999", "--db", d
    )
    assert "not in story" in fails(
        run_cli,
        "entry",
        "swap",
        raa,
        list(entries(db, raa))[0],
        "--sentence",
        f"{ids['flood0.txt']}:0",
        "--db",
        d,
    )
    assert "leaves story" in fails(run_cli, "story", "split", raa, "--at", "1990-01-01", "--db", d)
    assert "itself" in fails(run_cli, "story", "merge", raa, raa, "--db", d)
    assert "no edit with id 7" in fails(run_cli, "undo", "7", "--db", d)
    assert "no story with id 'nope'" in fails(run_cli, "edits", "--story", "nope", "--db", d)
    assert snapshot(db) == before
    assert run_cli("edits", "--json", "--db", d).json() == []


# --- provenance in every export ------------------------------------------------------------------
def test_exports_say_which_entries_a_person_chose_or_wrote(db: Path, run_cli: RunCli) -> None:
    d = str(db)
    ids = article_ids(db)
    raa = story_holding(db, ids[RAA_FIRST])
    first, second = list(entries(db, raa))[:2]
    ok(run_cli, "entry", "pin", raa, first, "--db", d)
    ok(run_cli, "entry", "caption", raa, second, "Leaders <agree> to talk.", "--db", d)

    def export(fmt: str) -> str:
        result = run_cli("timeline", "--story", raa, "--format", fmt, "--db", d)
        assert result.code == 0, result.err
        return result.out

    data = json.loads(export("json"))
    by_date = {e["date"]: e for e in data["entries"]}
    assert by_date[first]["provenance"] == "pinned"
    assert by_date[second]["provenance"] == "caption"
    assert by_date[second]["caption"] == "Leaders <agree> to talk."
    assert by_date[second]["sentences"] == []
    assert {e["provenance"] for d_, e in by_date.items() if d_ not in (first, second)} == {
        "machine"
    }

    markdown = export("md")
    assert f"## {first} *(pinned by an editor)*" in markdown
    assert f"## {second} *(written by an editor)*" in markdown
    assert "- Leaders \\<agree\\> to talk. *(in the editor's own words; cites no article)*" in (
        markdown
    )

    html = export("html")
    assert f'data-provenance="pinned"><time datetime="{first}">' in html
    assert '<span class="badge person">written by an editor</span>' in html
    assert "Leaders &lt;agree&gt; to talk." in html and "<agree>" not in html

    slides = json.loads(export("timelinejs"))["events"]
    captioned = [e for e in slides if e["provenance"] == "caption"]
    assert len(captioned) == 1
    assert captioned[0]["text"]["headline"] == "Leaders &lt;agree&gt; to talk."
    assert "Written by an editor" in captioned[0]["text"]["text"]
    assert [e["provenance"] for e in slides].count("pinned") == 1


def test_swap_candidates_name_the_date_and_a_swap_takes_one(db: Path, run_cli: RunCli) -> None:
    d = str(db)
    raa = story_holding(db, article_ids(db)[RAA_FIRST])
    with Corpus(db, read_only=True) as corpus:  # a day some other sentence names
        day, entry = next(
            (k, e)
            for k, e in entries(db, raa).items()
            if len(k) == 10
            and {(c.article_id, c.sentence_index) for c in corpus.sentence_choices(raa, k)}
            - {(c["article_id"], c["sentence_index"]) for c in e["sentences"]}
        )
    listed = run_cli("entry", "candidates", raa, day, "--json", "--db", d)
    assert listed.code == 0, listed.err
    offered = listed.json()
    assert isinstance(offered, list) and offered
    own = {(s["article_id"], s["sentence_index"]) for s in entry["sentences"]}
    with Corpus(db, read_only=True) as corpus:
        for c in offered:
            assert (c["article_id"], c["sentence_index"]) not in own
            named = {
                t.value[:10]
                for t in corpus.timexes(c["article_id"])
                if t.sentence_index == c["sentence_index"]
            }
            published = corpus.article(c["article_id"]).published
            # named, or the lead of a report published that day or within the follow-up days
            follow = corpus.config.timeline.followup_days
            assert day in named or 0 <= (published - date.fromisoformat(day)).days <= follow
    pick = offered[0]
    ok(
        run_cli,
        "entry",
        "swap",
        raa,
        day,
        "--sentence",
        f"{pick['article_id']}:{pick['sentence_index']}",
        "--db",
        d,
    )
    first = entries(db, raa)[day]["sentences"][0]
    assert first["text"] == pick["text"] and first["article_id"] == pick["article_id"]


def test_swap_choices_read_only_the_articles_that_name_or_report_the_date(db: Path) -> None:
    """The choices for a date, read from the few articles that can hold one, are those of the
    whole story's pool: for every date on each timeline, its month and year, and each day an
    article came out (whose leads count for the day before it too)."""
    with Corpus(db, read_only=True) as corpus:
        config = corpus.config.timeline
        assert config.followup_days >= 1  # so leads of the next day's articles are at stake
        smaller = 0
        for story in corpus.store.stories():
            pool = load_pool(corpus.store, story.article_ids)
            labels = {*entries(db, story.id)}
            for article in pool.articles:
                if article.published is not None:
                    day = article.published
                    labels |= {day.isoformat(), (day - timedelta(days=1)).isoformat()}
            labels |= {label[:7] for label in labels} | {label[:4] for label in labels}
            for label in sorted(labels):
                whole = sentence_choices(pool, label, config, limit=500)
                assert corpus.sentence_choices(story.id, label, limit=500) == whole, label
                read = choice_article_ids(corpus.store, story.id, story.article_ids, label, config)
                assert {c.article_id for c in whole} <= set(read)
                smaller += len(read) < len(story.article_ids)
        assert smaller  # some date's choices needed only part of its story


def test_a_store_grouped_before_curation_existed_undoes_to_its_own_stories(
    db: Path, run_cli: RunCli
) -> None:
    """Stores made before the edit log have no copy of the machine's stories: the first edit
    keeps the stories they show as that copy, so undo returns to them."""
    raw = sqlite3.connect(db)
    raw.execute("DELETE FROM machine_stories")
    raw.commit()
    raw.close()
    before = snapshot(db)
    raa = story_holding(db, article_ids(db)[RAA_FIRST])
    rename = ok(run_cli, "story", "rename", raa, "Renamed", "--db", str(db))
    assert stories_of(db)[raa]["label"] == "Renamed"
    ok(run_cli, "undo", str(rename["id"]), "--db", str(db))
    assert snapshot(db) == before


def test_undoing_a_deletion_links_its_near_copies_again(db: Path, run_cli: RunCli) -> None:
    """A deleted original's near-copies become originals; undo gives the link back, and a
    later copy of the restored article is found as its near-duplicate again."""
    d, folder = str(db), db.parent / "copies"
    folder.mkdir()
    ids = article_ids(db)
    original = ids["volcano1.txt"]
    text = _article("volcano", 1)
    (folder / "copy.txt").write_text(text.replace("desk.", "desk (wire copy)."), "utf-8")
    assert run_cli("ingest", str(folder), "--db", d).code == 0
    with Corpus(db, read_only=True) as corpus:
        (copy,) = [a for a in corpus.articles() if a.source.endswith("copy.txt")]
    assert copy.duplicate_of == original

    deleted = ok(run_cli, "article", "delete", original, "--db", d)
    with Corpus(db, read_only=True) as corpus:
        assert corpus.article(copy.id).duplicate_of is None
    ok(run_cli, "undo", str(deleted["id"]), "--db", d)
    with Corpus(db, read_only=True) as corpus:
        assert corpus.article(copy.id).duplicate_of == original

    # with the copy gone, only the restored article's own index keys can find the next copy
    ok(run_cli, "article", "delete", copy.id, "--db", d)
    (folder / "copy.txt").unlink()
    (folder / "again.txt").write_text(text.replace("desk.", "desk (late edition)."), "utf-8")
    assert run_cli("ingest", str(folder), "--db", d).code == 0
    with Corpus(db, read_only=True) as corpus:
        (again,) = [a for a in corpus.articles() if a.source.endswith("again.txt")]
    assert again.duplicate_of == original


def test_a_story_edit_waits_for_another_process_regrouping_and_is_kept(db: Path) -> None:
    """An edit made while another process regroups the stories (an ingest placing its
    articles: it holds the store's stories lock) waits for it, then applies itself to the
    grouping that process wrote, so the edit is neither lost nor written over."""
    from storyline.store import SQLiteStore

    ids = article_ids(db)
    strike, flood = story_holding(db, ids["strike0.txt"]), story_holding(db, ids["flood0.txt"])
    with SQLiteStore(db) as other:
        before = other.stories()  # the grouping the other process placed its articles from
        with other.stories_lock():
            edit = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "storyline",
                    "story",
                    "merge",
                    strike,
                    flood,
                    "--db",
                    str(db),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                with pytest.raises(subprocess.TimeoutExpired):
                    edit.wait(timeout=5)  # the edit waits for the regrouping to end ...
            except BaseException:
                edit.kill()
                raise
            other.save_stories(before, other.story_state())  # ... which writes its grouping
        _, err = edit.communicate(timeout=120)
    assert edit.returncode == 0, err
    merged = story_holding(db, ids["strike0.txt"])
    assert merged == story_holding(db, ids["flood0.txt"]) and merged in (strike, flood)
    with Corpus(db, read_only=True) as corpus:
        assert corpus.store.load_timeline(merged, DEFAULT_TIMELINE) is not None
