"""Schema migrations for the SQLite store, applied in order and recorded in ``migrations``.

Why a registry: a user's store outlives the version that made it; each change to the schema is
a new numbered entry, never an edit of an old one. Statements are separated by ``;`` and hold no
semicolon inside (no triggers: the FTS index is filled by the store's own inserts).
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "articles, sentences, time expressions, full-text index",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            title TEXT,
            text TEXT NOT NULL,
            source TEXT NOT NULL,
            url TEXT,
            published TEXT,
            date_source TEXT,
            date_confidence REAL,
            date_evidence TEXT NOT NULL DEFAULT '[]',
            language TEXT NOT NULL DEFAULT 'en',
            content_hash TEXT NOT NULL UNIQUE,
            duplicate_of TEXT REFERENCES articles(id),
            source_name TEXT,
            added TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE sentences (
            rowid INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            end_ INTEGER NOT NULL,
            UNIQUE (article_id, idx)
        );
        CREATE VIRTUAL TABLE sentences_fts USING fts5(
            text, content='sentences', content_rowid='rowid', tokenize='porter unicode61'
        );
        CREATE TABLE timexes (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence_idx INTEGER,
            start INTEGER NOT NULL,
            end_ INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            mod TEXT
        );
        CREATE INDEX timexes_value ON timexes(value);
        CREATE INDEX timexes_article ON timexes(article_id, start);
        CREATE TABLE minhashes (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            signature BLOB NOT NULL
        );
        CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB)
        """,
    ),
    (
        2,
        "stories and stored timelines",
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            first TEXT,
            last TEXT,
            parent_id TEXT
        );
        CREATE TABLE story_articles (
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (story_id, article_id)
        );
        CREATE INDEX story_articles_article ON story_articles(article_id);
        CREATE TABLE timelines (
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (story_id, key)
        )
        """,
    ),
    (
        3,
        "articles.date_granularity: how much of an inferred date is known",
        """
        ALTER TABLE articles ADD COLUMN date_granularity TEXT;
        UPDATE articles SET date_granularity = 'day' WHERE published IS NOT NULL
        """,
    ),
]
MIGRATIONS.append(
    (
        4,
        "curation: the edit log and the machine's own stories beneath the edits",
        """
        CREATE TABLE edits (
            id INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            author TEXT NOT NULL,
            kind TEXT NOT NULL,
            story_id TEXT,
            target TEXT NOT NULL DEFAULT '{}',
            payload TEXT NOT NULL DEFAULT '{}',
            undone_by INTEGER
        );
        CREATE INDEX edits_story ON edits(story_id);
        CREATE TABLE machine_stories (
            id TEXT PRIMARY KEY,
            data TEXT NOT NULL
        )
        """,
    )
)
MIGRATIONS += [
    (
        5,
        "persistent near-duplicate index, story sizes, stale timelines kept until replaced",
        """
        CREATE TABLE lsh_buckets (
            band INTEGER NOT NULL,
            bucket BLOB NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
        );
        CREATE INDEX lsh_buckets_key ON lsh_buckets(band, bucket);
        ALTER TABLE stories ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
        UPDATE stories SET size = (SELECT count(*) FROM story_articles sa WHERE sa.story_id = stories.id);
        CREATE INDEX stories_by_size ON stories(size DESC, label, id);
        ALTER TABLE timelines ADD COLUMN stale INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX articles_date_source ON articles(date_source)
        """,
    ),
]
MIGRATIONS += [
    (
        6,
        "serving at scale: covering indexes for story member pages, charts and title search",
        # Why: an article's row holds its text before its date and source, so reading
        # ``published`` or ``source`` by id walks the text's overflow pages; a story page that
        # orders 20,000 members by date read every member's text that way. articles_by_id
        # answers "id -> published, source" from the index alone (member pages, charts, the
        # sort of matching articles). articles_title lets a title search scan titles only,
        # not every article row.
        """
        CREATE INDEX articles_by_id ON articles(id, published, source);
        CREATE INDEX articles_title ON articles(title, id)
        """,
    ),
]
MIGRATIONS += [
    (
        7,
        "serving at scale: a trigram index of titles, for searches by title",
        # Why: a search also lists the articles whose title holds the query as typed (LIKE),
        # which scanned every title (18 ms of a search at 100,000 articles, growing with the
        # store). FTS5's trigram tokenizer (SQLite 3.34) finds the titles holding a string's
        # trigrams; the store checks them with LIKE. The table keeps its own copy of each title
        # with the article id beside it (not indexed): an external-content index would be keyed
        # by the articles' rowids, which VACUUM may renumber. Filled by the store's own writes,
        # as sentences_fts is.
        """
        CREATE VIRTUAL TABLE titles_fts USING fts5(
            title, article_id UNINDEXED, tokenize='trigram'
        );
        INSERT INTO titles_fts (title, article_id)
            SELECT title, id FROM articles WHERE title IS NOT NULL ORDER BY rowid
        """,
    ),
]
MIGRATIONS += [
    (
        8,
        "an index in publication order, so streaming every article sorts nothing",
        # Why: iter_articles (a full story rebuild, the redating pass) reads every article in
        # the order of articles(). Without an index in that order SQLite sorted the whole
        # table, text included, before the first batch: its sorter held up to the page cache's
        # size in records and merged spill files whose number grows with the store (peak RSS
        # of a rebuild grew with the store). The expressions are the ORDER BY's, as
        # PostgreSQL's articles_order (its migration 3): undated articles (NULL) last.
        """
        CREATE INDEX articles_order ON articles((published IS NULL), published, source, id)
        """,
    ),
]
MIGRATIONS += [
    (
        9,
        "story members in publication order from an index: a page of a large story sorts nothing",
        # Why: a story page lists its members by date, a page at a time; ordering them meant
        # joining every member to its article's date and sorting them all (9 ms of a 13.7 ms
        # answer for a 23,000-article story of the 100,000-article bench store) to return 50.
        # Each membership now carries its article's date, kept by the store's own writes (the
        # insert of a membership reads it; a change of an article's date is written to its
        # memberships in the same transaction), and this index answers a page in its order.
        """
        ALTER TABLE story_articles ADD COLUMN published TEXT;
        UPDATE story_articles SET published =
            (SELECT a.published FROM articles a INDEXED BY articles_by_id
             WHERE a.id = story_articles.article_id);
        CREATE INDEX story_members_order
            ON story_articles(story_id, (published IS NULL), published, article_id)
        """,
    ),
]
