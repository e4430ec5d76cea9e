"""Exact and near-duplicate detection.

Exact: the SHA-256 of the whitespace-normalised, case-kept body — re-ingesting the same article
(even re-wrapped) is a no-op. Near: MinHash over word 5-shingles with an LSH index (datasketch);
a near-duplicate is kept but linked to its original, never silently dropped, because a wire copy
with a changed paragraph may carry the one sentence a timeline needs.
"""

from __future__ import annotations

import array
import functools
import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.lsh import _optimal_param

from storyline.errors import StoreError
from storyline.settings import IngestConfig

try:  # datasketch's pre-mix of the affine schemes, to apply the permutations as it does
    from datasketch.minhash import _fmix
except ImportError:  # another layout: the reference reading (slower, same signatures)
    _fmix = None
_UINT32_ITEMS = array.array("I").itemsize == 4
SCHEME = "affine32"
"""datasketch's collision-free permutation scheme; stored signatures are uint32 arrays.

Shingles are hashed by one of :data:`SHINGLE_HASHES`, not datasketch's default SHA-1 (several
times slower): the permutations that follow spread their values anyway."""
SHINGLE_HASHES = ("poly64", "crc32")
"""How a shingle's bytes become the 32-bit value the permutations spread.

- ``poly64`` (new stores): :func:`poly64`, a polynomial hash modulo 2**64. Every shingle's
  value comes from two prefix sums of the joined words, in numpy: one pass over the bytes
  for all the shingles of an article, where CRC-32 took a Python call per shingle (half of
  the MinHash's time, a tenth of ingest on the scale corpus).
- ``crc32``: CRC-32 of the shingle (stores written before ``poly64``; their signatures
  stay comparable only with signatures hashed the same way).

Both are stable across runs and machines, unlike ``hash()``, and the permutations that follow
spread their values (datasketch's MurmurHash finaliser first)."""
DEFAULT_SHINGLE_HASH = "poly64"
SHINGLE_HASH_META = "minhash_shingle_hash"
"""Store meta key: the :data:`SHINGLE_HASHES` entry its signatures were made with."""
_POLY = 0x100000001B3
"""The multiplier of :func:`poly64` (the 64-bit FNV prime): odd, so it has an inverse modulo
2**64, which turns prefix sums into the hash of any slice."""
_MASK64 = (1 << 64) - 1
_POWERS: tuple[np.ndarray, np.ndarray] = (np.ones(1, dtype=np.uint64),) * 2


_WORD = re.compile(r"\w+")
_SPACE = ord(" ")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")
_ASCII_WORDS = bytes(
    (byte | 0x20 if 0x41 <= byte <= 0x5A else byte)
    if (byte | 0x20 if 0x41 <= byte <= 0x5A else byte) in _ASCII_WORD_BYTES
    else _SPACE
    for byte in range(256)
)
"""A byte table that lower-cases ASCII letters and turns every byte no ASCII word holds into a
space: on ASCII text, what ``\\w+`` over ``text.lower()`` keeps."""


def normalise_whitespace(text: str) -> str:
    """Runs of whitespace as one space, none at the ends.

    ``str.split()`` cuts at the same characters as the pattern ``\\s+`` (both ask
    ``str.isspace``), and splitting then joining was three times faster than substituting.
    """
    return " ".join(text.split())


def content_hash(text: str) -> str:
    """Hash of the whitespace-normalised body: the article's identity for exact dedupe."""
    return normalised_hash(normalise_whitespace(text))


def normalised_hash(normalised: str) -> str:
    """:func:`content_hash` of a text already passed through :func:`normalise_whitespace`
    (ingest normalises once for both its length check and the hash)."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def article_id_from_hash(digest: str) -> str:
    """A short, stable article id (16 hex digits of the content hash)."""
    return digest[:16]


def minhash(text: str, num_perm: int, shingle_hash: str = DEFAULT_SHINGLE_HASH) -> MinHash:
    """The MinHash of the text's word 5-shingles (``num_perm``: ``ingest.minhash_permutations``;
    ``shingle_hash``: one of :data:`SHINGLE_HASHES`, the one the store's signatures were made
    with, :func:`store_shingle_hash`).

    The same signature as ``MinHash.update_batch`` over the distinct shingles, each the five
    words joined by a space and UTF-8 encoded, hashed by ``shingle_hash``
    (:func:`minhash_reference`), computed faster: the words are joined and encoded once, each
    shingle is a slice of those bytes, and repeated shingles are hashed again instead of
    deduplicated (a minimum does not change when a value repeats). Why: building, encoding and
    deduplicating the shingle strings in Python was two thirds of the MinHash's time, and the
    MinHash a seventh of ingest.
    """
    if _fmix is None:
        return minhash_reference(text, num_perm, shingle_hash)
    if shingle_hash not in SHINGLE_HASHES:
        raise ValueError(f"unknown shingle hash {shingle_hash!r}: one of {SHINGLE_HASHES}")
    joined, count = _joined_words(text)
    if count < 5:
        starts, stops = np.zeros(1, dtype=np.intp), np.array([len(joined)], dtype=np.intp)
    else:
        # A word never holds the byte of a space (UTF-8 continuation bytes are >= 0x80), so
        # the spaces of ``joined`` delimit the words: word k ends at space k, the last at the
        # end. Found by numpy, not by summing the words' lengths in Python.
        spaces = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == _SPACE)
        starts = np.append(0, spaces + 1)[:-4]
        stops = np.append(spaces, len(joined))[4:]
    if shingle_hash == "poly64":
        hashes = _poly64_slices(joined, starts, stops)
    else:  # map() keeps the per-shingle loop out of bytecode
        slices = map(joined.__getitem__, map(slice, starts.tolist(), stops.tolist()))
        hashes = _uint32(map(zlib.crc32, slices))
    perms = _permutations(num_perm)
    hashfunc = poly64 if shingle_hash == "poly64" else zlib.crc32
    m = MinHash(num_perm=num_perm, scheme=SCHEME, hashfunc=hashfunc, permutations=perms)
    values = _fmix(hashes, 32)
    a, b = perms
    # one row per permutation: the minimum runs along contiguous memory (a third faster than
    # one column per permutation); the same uint32 products and sums as datasketch's, made
    # in one array (a fifth faster than two temporaries of 128 times the shingles)
    products = np.multiply(a[:, None], values)
    np.add(products, b[:, None], out=products)
    m.hashvalues = np.minimum(m.hashvalues, products.min(axis=1))
    return m


def poly64(data: bytes) -> int:
    """The ``poly64`` hash of ``data``: the top 32 bits of ``sum(data[k] * P**k) mod 2**64``
    (the definition; :func:`minhash` computes it for all the shingles at once)."""
    total, power = 0, 1
    for byte in data:
        total = (total + byte * power) & _MASK64
        power = (power * _POLY) & _MASK64
    return total >> 32


def _poly64_slices(data: bytes, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """:func:`poly64` of each ``data[start:stop]`` (shingles, in text order), as uint32.

    With ``C[i] = sum(data[k] * P**k for k < i)``, a slice's sum is ``(C[stop] - C[start]) *
    P**-start``; numpy's uint64 arithmetic wraps modulo 2**64 as the definition does. A slice's
    hash does not depend on where it lies, so the shingles are hashed in blocks of
    :data:`_BLOCK_SHINGLES`, each over its own bytes: the arrays stay a few hundred KB however
    long the text (a 5 MB article would otherwise need 160 MB of them at once).
    """
    if len(starts) > _BLOCK_SHINGLES:
        return np.concatenate(
            [
                _poly64_slices(
                    data, starts[i : i + _BLOCK_SHINGLES], stops[i : i + _BLOCK_SHINGLES]
                )
                for i in range(0, len(starts), _BLOCK_SHINGLES)
            ]
        )
    lo, hi = int(starts[0]), int(stops[-1])  # both grow along the text
    powers, inverses = _powers(hi - lo + 1)
    prefix = np.zeros(hi - lo + 1, dtype=np.uint64)
    block = np.frombuffer(data, dtype=np.uint8, count=hi - lo, offset=lo)
    np.cumsum(block * powers[: hi - lo], out=prefix[1:])
    sums = (prefix[stops - lo] - prefix[starts - lo]) * inverses[starts - lo]
    return (sums >> np.uint64(32)).astype(np.uint32)


_BLOCK_SHINGLES = 4096
"""Shingles hashed together by :func:`_poly64_slices` (about 25 KB of news text)."""
_POWERS_KEPT = 1 << 16
"""Longest power tables kept for the next article (512 KB each); a longer block (a text with
a word of many KB) makes its own and drops them."""


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``P**k`` and ``P**-k`` modulo 2**64 for ``k < n`` (at least): kept between calls up to
    :data:`_POWERS_KEPT`, grown by doubling. Each call returns its own pair (another thread
    may replace the kept one meanwhile)."""
    global _POWERS
    tables = _POWERS
    if len(tables[0]) < n:
        size = max(n, min(2 * len(tables[0]), _POWERS_KEPT), 4096)
        steps = np.full(size, _POLY, dtype=np.uint64)
        back = np.full(size, pow(_POLY, -1, 1 << 64), dtype=np.uint64)
        steps[0] = back[0] = 1
        tables = (np.cumprod(steps), np.cumprod(back))  # wraps modulo 2**64, as it must
        if size <= _POWERS_KEPT:
            _POWERS = tables
    return tables


def _uint32(values: Iterable[int]) -> np.ndarray:
    """CRC-32 values as a uint32 array, through ``array('I')`` when its items are four bytes:
    half the time of ``np.array`` over a list of Python ints."""
    if _UINT32_ITEMS:
        return np.frombuffer(array.array("I", values), dtype=np.uint32)
    return np.array(list(values), dtype=np.uint32)


def _joined_words(text: str) -> tuple[bytes, int]:
    """The words of ``text.lower()`` (``\\w+``) joined by single spaces, UTF-8, and how many.

    Why not always the pattern: it spent 0.15 ms an article testing each character's Unicode
    class. A text that is ASCII once its non-word characters (curly quotes, dashes: every
    non-ASCII character of most English news) are spaces is cut by a byte table instead, in C.
    A character counts as non-word only if it and its lower case are neither alphanumeric nor
    ``_`` (which is what ``\\w`` matches), so both readings give the same words.
    """
    if not text.isascii():
        for char in set(_NON_ASCII.findall(text)):
            if any(c.isalnum() or c == "_" for c in (char, *char.lower())):
                words = _WORD.findall(text.lower())
                return " ".join(words).encode("utf-8"), len(words)
            text = text.replace(char, " ")
    pieces = text.encode("ascii").translate(_ASCII_WORDS).split()
    return b" ".join(pieces), len(pieces)


def minhash_reference(
    text: str, num_perm: int, shingle_hash: str = DEFAULT_SHINGLE_HASH
) -> MinHash:
    """:func:`minhash` as datasketch computes it from the set of shingle strings (the
    definition the fast reading is checked against, in tests/test_dedupe_fast.py)."""
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    m = MinHash(
        num_perm=num_perm,
        scheme=SCHEME,
        hashfunc=poly64 if shingle_hash == "poly64" else zlib.crc32,
        permutations=_permutations(num_perm),
    )
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    """datasketch's permutations for this size, drawn once per process, not once per article.

    Why: ``MinHash(num_perm=128)`` draws its 128 (a, b) pairs from a seeded generator on every
    construction; passing the same pairs back gives identical signatures at a fraction of the
    cost (the permutations were 14 % of ingest at 50 k articles, with the MinHash itself).
    """
    perms: np.ndarray = MinHash(num_perm=num_perm, scheme=SCHEME, hashfunc=zlib.crc32).permutations
    perms.setflags(write=False)
    return perms


def signature_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()


def minhash_from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype=np.uint32)
    return MinHash(
        num_perm=len(values),
        hashvalues=values.copy(),
        scheme=SCHEME,
        hashfunc=zlib.crc32,
        permutations=_permutations(len(values)),
    )


class NearDuplicateIndex:
    """An LSH index of stored articles' signatures, to find the original of a near-copy."""

    def __init__(self, config: IngestConfig) -> None:
        self.threshold = config.near_duplicate_threshold
        self.num_perm = config.minhash_permutations
        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        self._sigs: dict[str, MinHash] = {}

    @classmethod
    def from_signatures(
        cls, rows: Iterable[tuple[str, bytes]], config: IngestConfig
    ) -> NearDuplicateIndex:
        index = cls(config)
        for article_id, data in rows:
            index.add(article_id, minhash_from_bytes(data))
        return index

    def add(self, article_id: str, m: MinHash) -> None:
        if article_id in self._sigs or len(m.hashvalues) != self.num_perm:
            return
        self._lsh.insert(article_id, m)
        self._sigs[article_id] = m

    def original_of(self, m: MinHash) -> str | None:
        """The most similar stored article at or above the threshold, if any."""
        best: tuple[float, str] | None = None
        for candidate in self._lsh.query(m):
            score = m.jaccard(self._sigs[candidate])
            if score >= self.threshold and (best is None or (score, candidate) > best):
                best = (score, candidate)
        return best[1] if best else None


class KeyStore(Protocol):
    """The part of :class:`storyline.store.base.Store` the persistent index uses."""

    def near_duplicate_candidates(self, keys: Sequence[tuple[int, bytes]]) -> list[str]: ...

    def near_duplicate_buckets(
        self, keys: Sequence[tuple[int, bytes]]
    ) -> dict[tuple[int, bytes], list[str]]: ...

    def add_near_duplicate_keys(
        self, article_id: str, keys: Sequence[tuple[int, bytes]]
    ) -> None: ...

    def clear_near_duplicate_keys(self) -> None: ...

    def minhashes(self) -> Iterable[tuple[str, bytes]]: ...

    def minhashes_of(self, article_ids: Sequence[str]) -> dict[str, bytes]: ...

    def get_meta(self, key: str) -> bytes | None: ...

    def set_meta(self, key: str, value: bytes | None) -> None: ...

    def transaction(self) -> AbstractContextManager[None]: ...


def _digest(data: bytes, digest_size: int) -> bytes:
    return hashlib.blake2b(data, digest_size=digest_size).digest()


class MetaStore(Protocol):
    """The part of :class:`storyline.store.base.Store` :func:`store_shingle_hash` reads."""

    def count_articles(self) -> int: ...

    def get_meta(self, key: str) -> bytes | None: ...

    def set_meta(self, key: str, value: bytes | None) -> None: ...


def store_shingle_hash(store: MetaStore) -> str:
    """The :data:`SHINGLE_HASHES` entry the store's signatures are made with, recorded in it
    the first time it is asked: :data:`DEFAULT_SHINGLE_HASH` for a store without articles,
    ``crc32`` for one written before the hash was recorded (every signature it holds is a
    CRC-32 one, and a new article must be compared with them in the same terms).

    Raises :class:`~storyline.errors.StoreError` for a hash this version does not know (a
    store written by a newer one): its signatures would compare with nothing."""
    recorded = store.get_meta(SHINGLE_HASH_META)
    if recorded is not None:
        name = bytes(recorded).decode("ascii", "replace")
        if name not in SHINGLE_HASHES:
            raise StoreError(
                f"the store's MinHash signatures use the shingle hash {name!r}, which this "
                f"version of storyline does not know (it knows {', '.join(SHINGLE_HASHES)})"
            )
        return name
    name = DEFAULT_SHINGLE_HASH if store.count_articles() == 0 else "crc32"
    store.set_meta(SHINGLE_HASH_META, name.encode())
    return name


INDEX_META = "near_duplicate_index"
"""Meta key holding the band layout the stored LSH keys were made with."""

BUCKET_BYTES = 8
"""Bytes of a stored LSH key: a BLAKE2b digest of the band's values, not the values themselves.

Why: a band of 25 rows is 100 bytes, and the table and its (band, bucket) index held five per
article (126 MB at 100,000 articles, over a gigabyte at a million), so every ingest batch
rewrote pages of a large index at random. With 8-byte digests they take 27 MB at 100,000, and
3,000 more articles took 3-4 % less CPU to store there (``bench/bench_ingest_grown.py``,
``lsh_digest_keys`` in ``bench/results/scale.json``). Rebuilding an older store's keys once
took 10 CPU seconds at 100,000 articles.
"""


class StoredNearDuplicateIndex:
    """The LSH index kept in the store: banded keys in a table, queried per new article.

    Why in the store: rebuilding an in-memory index from every stored signature cost 6 s per
    run at 50 k articles (and grows with the store). Here each article's band keys are written
    with it, and a query reads only the rows of its own keys plus the candidates' signatures.
    The bands are datasketch's optimal (b, r) for the threshold, and a key is an 8-byte digest
    of the band's values (:data:`BUCKET_BYTES`). Two equal bands have equal digests, so every
    candidate :class:`NearDuplicateIndex` finds is found here; two different bands share one
    with odds of 2^-64, and a candidate is linked only if its signature is similar enough
    (:meth:`_best`), so the links are exactly the same. The keys are rebuilt from the stored
    signatures only when the layout changes (a new threshold or number of permutations, keys
    of another form, or a store written before the index existed).
    """

    def __init__(self, store: KeyStore, config: IngestConfig) -> None:
        self.store = store
        self.threshold = config.near_duplicate_threshold
        self.num_perm = config.minhash_permutations
        self.bands, self.rows = _optimal_param(self.threshold, self.num_perm, 0.5, 0.5)
        self._ready = False

    def _layout(self) -> bytes:
        """The form of the stored keys: a store whose keys have another is rebuilt once.
        (Raw band bytes were written as ``128:5x25``; digests add ``:b2b8``.)"""
        return f"{self.num_perm}:{self.bands}x{self.rows}:b2b{BUCKET_BYTES}".encode()

    def ensure(self) -> None:
        """Rebuild the stored keys once if they were made with another layout (or none)."""
        if self._ready:
            return
        if self.store.get_meta(INDEX_META) != self._layout():
            # One transaction: a rebuild cut short leaves the old keys and layout, and is
            # done again by the next run; one commit, not one per article.
            with self.store.transaction():
                self.store.clear_near_duplicate_keys()
                for article_id, data in self.store.minhashes():
                    values = np.frombuffer(data, dtype=np.uint32)
                    if len(values) == self.num_perm:
                        self.store.add_near_duplicate_keys(article_id, self.keys(values))
                self.store.set_meta(INDEX_META, self._layout())
        self._ready = True

    def keys(self, values: np.ndarray) -> list[tuple[int, bytes]]:
        """The (band, bucket) keys of a signature: each band's digest (:data:`BUCKET_BYTES`)."""
        raw = np.asarray(values, dtype=np.uint32)
        r = self.rows
        return [
            (band, _digest(raw[band * r : (band + 1) * r].tobytes(), digest_size=BUCKET_BYTES))
            for band in range(self.bands)
        ]

    def original_of(self, m: MinHash) -> str | None:
        """The most similar stored article at or above the threshold, if any."""
        self.ensure()
        values = np.asarray(m.hashvalues, dtype=np.uint32)
        candidates = self.store.near_duplicate_candidates(self.keys(values))
        if not candidates:
            return None
        stored = self.store.minhashes_of(candidates)
        return self._best(values, {c: np.frombuffer(d, dtype=np.uint32) for c, d in stored.items()})

    def _best(self, values: np.ndarray, signatures: dict[str, np.ndarray]) -> str | None:
        """The candidate most similar to ``values`` at or above the threshold, if any (the
        highest id among equals)."""
        best: tuple[float, str] | None = None
        for candidate, other in signatures.items():
            if len(other) != len(values):
                continue
            score = float(np.count_nonzero(other == values)) / len(values)
            if score >= self.threshold and (best is None or (score, candidate) > best):
                best = (score, candidate)
        return best[1] if best else None

    def add(self, article_id: str, m: MinHash) -> None:
        if len(m.hashvalues) != self.num_perm:
            return
        self.ensure()
        self.store.add_near_duplicate_keys(article_id, self.keys(np.asarray(m.hashvalues)))

    def link(
        self, batch: Sequence[tuple[str, MinHash]]
    ) -> list[tuple[str | None, list[tuple[int, bytes]]]]:
        """For each article of a batch about to be stored, in order: its original (the most
        similar stored article, or earlier article of the batch, at or above the threshold)
        and the keys to store with it (none for a signature of another size).

        Why a batch: the stored articles under every key of the batch are looked up at once
        (one query per band) with their signatures, not five queries and a read per article;
        the batch is stored at its end (``Store.add_articles``), so each article finds the
        batch's earlier ones here, as it would have if each had been stored in turn.
        """
        self.ensure()
        values = [np.asarray(m.hashvalues, dtype=np.uint32) for _, m in batch]
        keys = [self.keys(v) for v in values]
        found = self.store.near_duplicate_buckets([key for each in keys for key in each])
        ids = sorted({c for hits in found.values() for c in hits})
        stored = {
            c: np.frombuffer(data, dtype=np.uint32)
            for c, data in (self.store.minhashes_of(ids) if ids else {}).items()
        }
        staged: dict[tuple[int, bytes], list[tuple[str, np.ndarray]]] = {}
        links: list[tuple[str | None, list[tuple[int, bytes]]]] = []
        for (article_id, _), own, own_keys in zip(batch, values, keys, strict=True):
            signatures = {
                c: stored[c] for key in own_keys for c in found.get(key, ()) if c in stored
            }
            for key in own_keys:
                signatures.update(staged.get(key, ()))
            original = self._best(own, signatures)
            if len(own) != self.num_perm:
                links.append((original, []))
                continue
            for key in own_keys:
                staged.setdefault(key, []).append((article_id, own))
            links.append((original, own_keys))
        return links
