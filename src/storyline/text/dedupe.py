"""Exact and near-duplicate detection.

Exact: the SHA-256 of the whitespace-normalised, case-kept body — re-ingesting the same article
(even re-wrapped) is a no-op. Near: MinHash over word 5-shingles with an LSH index (datasketch);
a near-duplicate is kept but linked to its original, never silently dropped, because a wire copy
with a changed paragraph may carry the one sentence a timeline needs.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.settings import IngestConfig

SCHEME = "affine32"
"""datasketch's collision-free permutation scheme; stored signatures are uint32 arrays.

Shingles are hashed with CRC-32 (stable across runs, unlike ``hash()``, and several times faster
than datasketch's default SHA-1): the permutations that follow spread its values anyway."""
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalise_whitespace(text: str) -> str:
    return _WS.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """Hash of the whitespace-normalised body: the article's identity for exact dedupe."""
    return hashlib.sha256(normalise_whitespace(text).encode("utf-8")).hexdigest()


def article_id_from_hash(digest: str) -> str:
    """A short, stable article id (16 hex digits of the content hash)."""
    return digest[:16]


def minhash(text: str, num_perm: int) -> MinHash:
    """The MinHash of the text's word 5-shingles (``num_perm``: ``ingest.minhash_permutations``)."""
    perms = num_perm
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    m = MinHash(num_perm=perms, scheme=SCHEME, hashfunc=zlib.crc32)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m


def signature_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()


def minhash_from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype=np.uint32)
    return MinHash(
        num_perm=len(values), hashvalues=values.copy(), scheme=SCHEME, hashfunc=zlib.crc32
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
