"""Schema migrations for the PostgreSQL store, applied in order and recorded in ``migrations``.

Why a list of its own: the PostgreSQL dialect differs from SQLite's (types, identity columns,
a ``tsvector`` column with a GIN index instead of an FTS5 table), so the numbers here are the
PostgreSQL store's history, not SQLite's. The rule is the same: a change to the schema is a new
numbered entry, never an edit of an old one. Statements are separated by ``;`` and hold none.

Why ``COLLATE "C"`` on the text columns that order or compare results: SQLite compares text
byte by byte; a server's default collation (``en_US.UTF-8``, say) ignores punctuation and case
at first, so ``ORDER BY source, id`` would list articles in another order than SQLite does.

Why the ``storyline_fts`` text search configuration: the SQLite index tokenises with FTS5's
``porter unicode61`` (words of letters and digits, lowercased, diacritics removed, Porter's
stemmer, no stopword list). The store hands PostgreSQL text already split and folded that way
(:func:`storyline.store.postgres.fts_text`), and this configuration stems every word with
Snowball's ``porter`` stemmer (the same algorithm as FTS5's), keeping every word, so the same
query finds the same sentences on both engines.

Why the edit log keeps ``target`` and ``payload`` as TEXT, not JSONB: JSONB reorders an
object's keys, and ``storyline edits --json`` must print an edit as it was made, as SQLite does.
Edit ids come from an identity column; every insert holds the store's write lock, so ids
increase in the order edits were made, as SQLite's rowids do.
"""

from __future__ import annotations

FTS_CONFIG = "storyline_fts"
"""The text search configuration every tsvector and tsquery of the store uses."""

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "articles, sentences with their text search vectors, time expressions, stories",
        f"""
        CREATE TEXT SEARCH DICTIONARY storyline_porter (TEMPLATE = snowball, Language = porter);
        CREATE TEXT SEARCH CONFIGURATION {FTS_CONFIG} (PARSER = pg_catalog."default");
        ALTER TEXT SEARCH CONFIGURATION {FTS_CONFIG} ADD MAPPING FOR
            asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part,
            hword_numpart, uint, int, float, sfloat, version
            WITH storyline_porter;
        CREATE TABLE articles (
            id TEXT COLLATE "C" PRIMARY KEY,
            title TEXT COLLATE "C",
            text TEXT NOT NULL,
            source TEXT COLLATE "C" NOT NULL,
            url TEXT,
            published DATE,
            date_source TEXT COLLATE "C",
            date_confidence DOUBLE PRECISION,
            date_evidence TEXT NOT NULL DEFAULT '[]',
            language TEXT COLLATE "C" NOT NULL DEFAULT 'en',
            content_hash TEXT NOT NULL UNIQUE,
            duplicate_of TEXT COLLATE "C" REFERENCES articles(id),
            source_name TEXT,
            date_granularity TEXT,
            added TIMESTAMPTZ NOT NULL DEFAULT now()
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE sentences (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            end_ INTEGER NOT NULL,
            tsv TSVECTOR NOT NULL,
            UNIQUE (article_id, idx)
        );
        CREATE INDEX sentences_tsv ON sentences USING gin (tsv);
        CREATE TABLE timexes (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence_idx INTEGER,
            start INTEGER NOT NULL,
            end_ INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT COLLATE "C" NOT NULL,
            mod TEXT
        );
        CREATE INDEX timexes_value ON timexes(value);
        CREATE INDEX timexes_article ON timexes(article_id, start);
        CREATE TABLE minhashes (
            article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            signature BYTEA NOT NULL
        );
        CREATE TABLE meta (key TEXT PRIMARY KEY, value BYTEA);
        CREATE TABLE stories (
            id TEXT COLLATE "C" PRIMARY KEY,
            label TEXT NOT NULL,
            first DATE,
            last DATE,
            parent_id TEXT COLLATE "C"
        );
        CREATE TABLE story_articles (
            story_id TEXT COLLATE "C" NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (story_id, article_id)
        );
        CREATE INDEX story_articles_article ON story_articles(article_id);
        CREATE TABLE timelines (
            story_id TEXT COLLATE "C" NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            key TEXT COLLATE "C" NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (story_id, key)
        )
        """,
    ),
]
MIGRATIONS.append(
    (
        2,
        "curation: the edit log and the machine's own stories beneath the edits",
        """
        CREATE TABLE edits (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            "time" TEXT COLLATE "C" NOT NULL,
            author TEXT COLLATE "C" NOT NULL,
            kind TEXT COLLATE "C" NOT NULL,
            story_id TEXT COLLATE "C",
            target TEXT NOT NULL DEFAULT '{}',
            payload TEXT NOT NULL DEFAULT '{}',
            undone_by BIGINT
        );
        CREATE INDEX edits_story ON edits(story_id);
        CREATE TABLE machine_stories (
            id TEXT COLLATE "C" PRIMARY KEY,
            data TEXT NOT NULL
        )
        """,
    )
)
MIGRATIONS.append(
    (
        3,
        "persistent near-duplicate index, story sizes, stale timelines kept until replaced",
        # As SQLite's migration 5. Why the label turns COLLATE "C": the stories page sorts by
        # size, then label, then id, byte by byte as SQLite does. Why the articles_order index:
        # iter_articles pages through the articles in publication order by key (one indexed
        # range per batch, never a sort of the whole table per batch); its expressions are the
        # ORDER BY of articles(), with undated articles (NULL) last.
        """
        CREATE TABLE lsh_buckets (
            band INTEGER NOT NULL,
            bucket BYTEA NOT NULL,
            article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE
        );
        CREATE INDEX lsh_buckets_key ON lsh_buckets(band, bucket);
        CREATE INDEX lsh_buckets_article ON lsh_buckets(article_id);
        ALTER TABLE stories ALTER COLUMN label TYPE TEXT COLLATE "C";
        ALTER TABLE stories ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
        UPDATE stories SET size = (SELECT count(*) FROM story_articles sa WHERE sa.story_id = stories.id);
        CREATE INDEX stories_by_size ON stories(size DESC, label, id);
        ALTER TABLE timelines ADD COLUMN stale BOOLEAN NOT NULL DEFAULT false;
        CREATE INDEX articles_date_source ON articles(date_source);
        CREATE INDEX articles_order ON articles(
            (published IS NULL), (COALESCE(published, '0001-01-01'::date)), source, id
        )
        """,
    )
)
MIGRATIONS.append(
    (
        4,
        "serving at scale: covering index for story member pages, charts and matching articles",
        # As SQLite's migration 6, for the same reads: id -> published, source from the index
        # (an index-only scan once the table is vacuumed). No title index: a heap row holds
        # its text out of line (TOAST), so a title scan reads no text already.
        """
        CREATE INDEX articles_by_id ON articles(id) INCLUDE (published, source)
        """,
    )
)
MIGRATIONS.append(
    (
        5,
        "story members in publication order from an index: a page of a large story sorts nothing",
        # As SQLite's migration 9: each membership keeps its article's date, written by the
        # store with the membership and with every change of the date, so a member page is
        # read from this index in its order instead of sorting every member of the story.
        """
        ALTER TABLE story_articles ADD COLUMN published DATE;
        UPDATE story_articles sa SET published = a.published
            FROM articles a WHERE a.id = sa.article_id;
        CREATE INDEX story_members_order
            ON story_articles(story_id, (published IS NULL), published, article_id)
        """,
    )
)
