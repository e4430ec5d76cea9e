"""Concurrent stories kept apart, a paused story resumed: as a user meets them, through the CLI.

The two earnings stories below run in the same week and share the whole vocabulary of
quarterly results; only their companies, people and places differ. A third story pauses for
three years and resumes with the same names.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from conftest import RunCli
from storyline.corpus import Corpus
from storyline.evaluate.stories_eval import overlap_shifts, shift_value
from storyline.records import Article
from storyline.settings import StoryConfig
from storyline.stories.detect import build_stories
from storyline.stories.split import lift

EARNINGS = [
    "{co} reported quarterly earnings on Tuesday, with revenue up and profit above what "
    "analysts expected, and raised its guidance for the year; shares rose in late trading.",
    "Chief executive {ceo} told analysts on the earnings call that margins improved and that "
    "demand stayed strong, while the quarterly revenue beat the consensus forecast.",
    "{co} shares climbed after the results as investors cheered the revenue growth, the profit "
    "margin and the buyback; analysts raised their price targets on the stock.",
    "The plant in {town} ran at full capacity during the quarter, {ceo} said, and the company "
    "expects revenue growth and higher profit next quarter as orders keep rising.",
]
ACME = {"co": "Acme Robotics", "ceo": "Jane Okafor", "town": "Dayton"}
BOREAL = {"co": "Borealis Shipping", "ceo": "Lars Nygaard", "town": "Bergen"}
TREATY = [
    "Japan and Australia agreed to deepen defence ties under a Reciprocal Access Agreement, "
    "Prime Minister Shinzo Abe and Prime Minister Malcolm Turnbull said in Tokyo.",
    "Leaders of Japan and Australia reached a basic agreement on the Reciprocal Access "
    "Agreement in Tokyo, Prime Minister Yoshihide Suga and Prime Minister Scott Morrison said.",
]


def _earnings(facts: dict[str, str], k: int, day: date) -> str:
    lines = [EARNINGS[(k + i) % len(EARNINGS)].format(**facts) for i in range(3)]
    return f"date {day.isoformat()}\n{facts['co']} results\n" + "\n".join(lines) + "\n"


def write_concurrent(folder: Path) -> None:
    """Two earnings stories day by day in the same week (2021), and a treaty story paused
    between 2017 and 2020."""
    folder.mkdir(parents=True, exist_ok=True)
    start = date(2021, 2, 1)
    for k in range(4):  # four distinct rotations of the lines (a fifth would be a duplicate)
        day = start + timedelta(days=k)
        (folder / f"acme{k}.txt").write_text(_earnings(ACME, k, day))
        (folder / f"boreal{k}.txt").write_text(_earnings(BOREAL, k + 1, day))
    (folder / "treaty0.txt").write_text(f"date 2017-04-19\n{TREATY[0]}\n")
    (folder / "treaty1.txt").write_text(f"date 2020-11-17\n{TREATY[1]}\n")


def _groups(run_cli: RunCli, db: Path) -> list[set[str]]:
    rows = run_cli("articles", "--json", "--db", str(db)).json()
    stories = run_cli("stories", "--json", "--db", str(db)).json()
    assert isinstance(rows, list) and isinstance(stories, list)
    name = {r["id"]: Path(r["source"]).stem.rstrip("0123456789") for r in rows}
    return [{name[a] for a in s["articles"]} for s in stories]


def test_concurrent_stories_with_other_actors_stay_apart(run_cli: RunCli, tmp_path: Path) -> None:
    write_concurrent(tmp_path / "news")
    db = tmp_path / "s.db"
    assert run_cli("ingest", str(tmp_path / "news"), "--db", str(db)).code == 0
    built = run_cli("build-stories", "--db", str(db))
    assert built.code == 0, built.err
    groups = _groups(run_cli, db)
    assert sorted(map(sorted, groups)) == [["acme"], ["boreal"], ["treaty"]]
    stories = run_cli("stories", "--json", "--db", str(db)).json()
    assert isinstance(stories, list)
    sizes = sorted(len(s["articles"]) for s in stories)
    assert sizes == [2, 4, 4]  # the treaty resumed after three years: one story of two
    treaty = next(s for s in stories if len(s["articles"]) == 2)
    assert (treaty["first"], treaty["last"]) == ("2017-04-19", "2020-11-17")


def test_a_new_concurrent_story_arriving_later_opens_its_own(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Placed incrementally (as ingest does once stories exist), the second company's results
    open a story of their own instead of joining the first's running story."""
    folder = tmp_path / "first"
    folder.mkdir()
    for k in range(4):
        day = date(2021, 2, 1) + timedelta(days=k)
        (folder / f"acme{k}.txt").write_text(_earnings(ACME, k, day))
    db = tmp_path / "s.db"
    run_cli("ingest", str(folder), "--db", str(db))
    assert run_cli("build-stories", "--db", str(db)).code == 0
    later = tmp_path / "later"
    later.mkdir()
    for k in range(3):
        day = date(2021, 2, 3) + timedelta(days=k)
        (later / f"boreal{k}.txt").write_text(_earnings(BOREAL, k + 1, day))
    assert run_cli("ingest", str(later), "--db", str(db)).code == 0
    assert sorted(map(sorted, _groups(run_cli, db))) == [["acme"], ["boreal"]]


def test_shift_value_moves_each_granularity() -> None:
    assert shift_value("2010-06-15", 14) == "2010-06-29"
    assert shift_value("2010-06-15T10:30", -21) == "2010-05-25T10:30"
    assert shift_value("2010-W24", 14) == "2010-W26"
    assert shift_value("2010-06", 28) == "2010-07"  # the month holding 13 July
    assert shift_value("2010", 364) == "2011"
    assert shift_value("2010-SU", -364) == "2009-SU"
    for kept in ("P3D", "PRESENT_REF", "XXXX-06", "2010-13-40"):
        assert shift_value(kept, 7) == kept


def test_overlap_shifts_are_whole_weeks_meeting_at_the_middle_topic() -> None:
    days = {"a": date(2009, 5, 1), "b": date(2010, 6, 1), "c": date(2011, 2, 1)}
    articles = [
        Article(id=f"{t}{k}", text="x", published=d + timedelta(days=k))
        for t, d in days.items()
        for k in range(3)
    ]
    truth = {a.id: a.id[0] for a in articles} | {"seed": "with:seeds"}
    shifts = overlap_shifts([*articles, Article(id="seed", text="x")], truth)
    assert set(shifts) == {"a", "b", "c"} and shifts["b"] == 0
    for topic, moved in shifts.items():
        assert moved % 7 == 0
        median = days[topic] + timedelta(days=1 + moved)
        assert abs((median - (days["b"] + timedelta(days=1))).days) <= 3
        assert median.weekday() == (days[topic] + timedelta(days=1)).weekday()


def _layout(root: Path) -> None:
    """Two earnings topics in Timeline17 layout, a year apart (the overlap mix brings them
    into the same weeks)."""
    for folder, facts, first in (
        ("acme_wire", ACME, date(2020, 2, 3)),
        ("boreal_wire", BOREAL, date(2021, 3, 1)),
    ):
        for k in range(4):
            day = first + timedelta(days=k)
            path = root / folder / "InputDocs" / day.isoformat() / f"{k}.htm.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_earnings(facts, k, day).split("\n", 1)[1])


def test_eval_stories_overlap_and_leave_one_out(run_cli: RunCli, tmp_path: Path) -> None:
    _layout(tmp_path / "t17")
    db = tmp_path / "mix.db"
    result = run_cli(
        "eval", "stories", str(tmp_path / "t17"), "--overlap", "--leave-one-out",
        "--db", str(db), "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    figures = result.json()
    assert isinstance(figures, dict)
    shifts = figures["overlap_shift_days"]
    assert set(shifts) == {"acme", "boreal"} and all(d % 7 == 0 for d in shifts.values())
    assert abs(shifts["acme"] - shifts["boreal"]) > 300  # a year apart, brought together
    assert figures["articles"] == 8 and figures["bcubed"]["f1"] == 1.0
    runs = figures["leave_one_out"]
    assert [r["left_out"] for r in runs] == ["acme", "boreal"]
    assert all(r["articles"] == 4 and r["stories_found"] == 1 for r in runs)
    rows = run_cli("articles", "--json", "--db", str(db)).json()  # the store holds the mix
    assert isinstance(rows, list)
    months = {r["published"][:7] for r in rows}
    assert len(months) <= 2  # the two topics now share their weeks
    table = run_cli("eval", "stories", str(tmp_path / "t17"), "--overlap", "--leave-one-out")
    assert table.code == 0 and "overlap mix" in table.out and "without acme" in table.out


def test_eval_stories_without_gold_reports_sizes_and_labels(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write_concurrent(tmp_path / "news")
    result = run_cli("eval", "stories", str(tmp_path / "news"), "--no-gold", "--json")
    assert result.code == 0, result.err
    described = result.json()
    assert isinstance(described, dict)
    assert described["articles"] == 10 and described["stories"] == 3
    assert described["size_buckets"] == {"1": 0, "2-4": 3, "5-19": 0, "20-99": 0, "100+": 0}
    assert [s["articles"] for s in described["largest"]] == [4, 4, 2]
    labels = " ".join(s["label"] for s in described["largest"])
    assert "Acme Robotics" in labels and "Borealis Shipping" in labels
    table = run_cli("eval", "stories", str(tmp_path / "news"), "--no-gold")
    assert table.code == 0 and "3 stories" in table.out and "Reciprocal Access" in table.out
    missing = run_cli("eval", "stories", str(tmp_path / "nope"), "--no-gold")
    assert missing.code == 1 and "no such file" in missing.err and "Traceback" not in missing.err


GENERIC = (
    "Markets moved as investors weighed quarterly numbers, analysts revised forecasts, traders "
    "watched the dollar and bond yields, and shares closed the session mixed."
)
GADGETS = [
    "quantum",
    "battery",
    "drone",
    "satellite",
    "chipset",
    "headset",
    "robotaxi",
    "streaming",
    "wearable",
    "keyboard",
    "router",
    "firmware",
    "speaker",
    "camera",
    "tablet",
    "console",
    "charger",
    "antenna",
    "server",
    "printer",
    "scanner",
    "thermostat",
    "doorbell",
    "projector",
    "earbuds",
    "stylus",
    "monitor",
]


def write_beat_and_story(folder: Path) -> None:
    """A beat, not a story: 26 unrelated gadget reports, each sharing a gadget with the next
    (the chain single-link assignment follows) and the place Silicon Valley; and a true story,
    27 reports of one strike, over the same weeks."""
    folder.mkdir(parents=True)
    start = date(2021, 3, 1)
    for k, (a, b) in enumerate(zip(GADGETS, GADGETS[1:], strict=False)):
        filler = " ".join(f"w{k}q{j}" for j in range(40))  # each report's own words
        day = start + timedelta(days=3 * k)
        (folder / f"beat{k}.txt").write_text(
            f"date {day}\nMarkets report\nIn Silicon Valley a startup showed a {a} gadget and a "
            f"{b} prototype. {filler}.\n{GENERIC}\n"
        )
    for k in range(27):
        day = start + timedelta(days=3 * k)
        (folder / f"strike{k}.txt").write_text(
            f"date {day}\nAcme Robotics strike\nWorkers at Acme Robotics in Dayton extended their "
            f"strike over pay and pensions, union leader Jane Okafor said on day {k}; the strike "
            f"halted the Dayton plant.\n{GENERIC}\n"
        )


def test_a_catch_all_beat_is_split_and_a_true_story_kept(tmp_path: Path) -> None:
    """Chained into one story (as it is with the split turned off), the beat's members are
    hardly more alike than the store at large: a full build regroups it; the strike stays."""
    write_beat_and_story(tmp_path / "news")
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.ingest([str(tmp_path / "news")])
        name = {a.id: Path(a.source).stem.rstrip("0123456789") for a in corpus.store.articles()}
        chained = build_stories(corpus.store, full=True, config=StoryConfig(split_lift=0.0))
        # a store over story.refine_max_articles is left as the streaming assignment made it
        capped = build_stories(corpus.store, full=True, config=StoryConfig(refine_max_articles=52))
        split = build_stories(corpus.store, full=True)
    kinds = [sorted((len(s.article_ids), name[s.article_ids[0]]) for s in found)
             for found in (chained, capped, split)]  # fmt: skip
    assert kinds[0] == kinds[1] == [(26, "beat"), (27, "strike")]
    kinds.pop(1)
    assert (27, "strike") in kinds[1]
    assert max(n for n, kind in kinds[1] if kind == "beat") <= 5
    assert all({name[a] for a in s.article_ids} in ({"beat"}, {"strike"}) for s in split)


def test_lift_of_alike_and_of_random_members() -> None:
    rng = np.random.default_rng(0)
    rows = rng.random((40, 50)) * (rng.random((40, 50)) < 0.2)
    rows[:20, :5] += 3.0  # the first 20 share a core
    unit = sp.csr_matrix(rows / np.linalg.norm(rows, axis=1, keepdims=True))
    total = np.asarray(unit.sum(axis=0)).ravel()
    assert lift(unit[:20], total, 40) > 1.5  # alike: a story
    assert 0.8 < lift(unit[::2], total, 40) < 1.2  # half of each kind: no story
    assert lift(unit[:1], total, 40) == float("inf")  # one article: nothing to compare


def write_early_report(folder: Path) -> None:
    """A running economy story; a first warning of an epidemic that arrives before the
    epidemic's story exists (it shares Washington and markets with the economy story); the
    epidemic's reports a month later."""
    folder.mkdir(parents=True)
    start = date(2009, 3, 2)
    for k in range(6):
        (folder / f"economy{k}.txt").write_text(
            f"date {start + timedelta(days=2 * k)}\nWall Street slides\nStocks fell on Wall Street "
            "as the Federal Reserve in Washington weighed rates; banks, credit and recession "
            f"fears weighed on markets, day {k} of the slide.\n"
        )
    (folder / "early.txt").write_text(
        f"date {start + timedelta(days=5)}\nHealth officials in Washington warn\nHealth officials "
        "in Washington warned that a new influenza virus could spread from Mexico City; the "
        "World Health Organization watched the flu virus, and markets took note.\n"
    )
    for k in range(6):
        (folder / f"flu{k}.txt").write_text(
            f"date {start + timedelta(days=30 + 2 * k)}\nFlu spreads\nThe influenza virus spread "
            "from Mexico City, the World Health Organization said; flu cases and virus tests "
            f"rose, day {k}.\n"
        )


def test_an_early_report_moves_to_the_story_that_formed_after_it(tmp_path: Path) -> None:
    """Placed on arrival, the warning joins the only running story (as it stays with the
    reassignment pass turned off); once the epidemic's story exists, a full build moves it."""
    write_early_report(tmp_path / "news")
    with Corpus(tmp_path / "s.db") as corpus:
        corpus.ingest([str(tmp_path / "news")])
        name = {a.id: Path(a.source).stem.rstrip("0123456789") for a in corpus.store.articles()}
        kept = build_stories(corpus.store, full=True, config=StoryConfig(reassign_margin=100.0))
        moved = build_stories(corpus.store, full=True)
    groups = [sorted(sorted({name[a] for a in s.article_ids}) for s in found)
              for found in (kept, moved)]  # fmt: skip
    assert groups[0] == [["early", "economy"], ["flu"]]
    assert groups[1] == [["early", "flu"], ["economy"]]
