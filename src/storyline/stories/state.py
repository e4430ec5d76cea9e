"""The detector's saved state: what an incremental run needs to place new articles.

Why saved at all: placing 100 new articles in a 50,000-article store must not re-read and
re-vectorise the store. The state holds the document frequencies of the hashed terms (for IDF),
each story's truncated centroid, span of dates and size, and its label candidates. It is stored
beside the stories by ``Store.save_stories`` as one blob, written with ``numpy.savez`` and read
back with ``allow_pickle=False`` (a store file from elsewhere cannot run code on load).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from storyline.stories.online import Clusters

FORMAT = 2  # 2: names hash into the upper half of the space (features.bucket)


@dataclass(slots=True)
class DetectorState:
    """Everything an incremental run continues from."""

    clusters: Clusters
    df: np.ndarray
    n_docs: int = 0
    phrases: list[dict[str, float]] = field(default_factory=list)

    @classmethod
    def empty(cls, bits: int) -> DetectorState:
        return cls(Clusters(bits), np.zeros(1 << bits, dtype=np.int32))

    def to_bytes(self) -> bytes:
        c = self.clusters
        nz = np.nonzero(self.df)[0].astype(np.int32)
        meta: dict[str, Any] = {
            "format": FORMAT,
            "bits": c.bits,
            "n_docs": self.n_docs,
            "ids": c.ids,
            "phrases": self.phrases,
        }
        buffer = io.BytesIO()
        np.savez(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            df_index=nz,
            df_count=self.df[nz],
            data=c.matrix.data.astype(np.float32),
            indices=c.matrix.indices.astype(np.int32),
            indptr=c.matrix.indptr.astype(np.int64),
            first=c.first,
            last=c.last,
            sizes=c.sizes,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes, bits: int) -> DetectorState | None:
        """The saved state, or None when it was made with another format or hash size."""
        try:
            with np.load(io.BytesIO(blob), allow_pickle=False) as z:
                meta = json.loads(bytes(z["meta"]).decode())
                if meta.get("format") != FORMAT or meta.get("bits") != bits:
                    return None
                df = np.zeros(1 << bits, dtype=np.int32)
                df[z["df_index"]] = z["df_count"]
                n = len(meta["ids"])
                sums = sp.csr_matrix(
                    (z["data"], z["indices"], z["indptr"]), shape=(n, 1 << bits), dtype=np.float32
                )
                clusters = Clusters(
                    bits, list(meta["ids"]), sums, z["first"], z["last"], z["sizes"]
                )
        except (ValueError, KeyError, OSError):
            return None
        return cls(clusters, df, int(meta["n_docs"]), [dict(p) for p in meta["phrases"]])
