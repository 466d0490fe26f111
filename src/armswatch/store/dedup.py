"""Exact and near-duplicate documents.

Exact: the same text after whitespace is normalised has the same content hash (unique in the
store). Near: syndicated copies of one wire story differ in headline, byline and a sentence or
two; their word 5-gram shingles still overlap heavily. Each stored document keeps its MinHash
signature, so the LSH index is rebuilt from the database (and topped up with what other
processes stored since) instead of re-reading every text.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from sqlalchemy import select
from sqlalchemy.orm import Session

from armswatch.store.models import DocumentRow

NUM_PERM = 128
SEED = 7
SCHEME = "affine32"  # datasketch's hashing scheme; stored with each signature, as it must match
SHINGLE_WORDS = 5
NEAR_DUPLICATE_THRESHOLD = 0.7  # estimated Jaccard similarity of shingle sets

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """SHA-256 of the text with runs of whitespace made one space: reflowed copies are equal."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Lower-cased word n-grams; a text shorter than ``size`` words is one shingle."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> LeanMinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return LeanMinHash(minhash)


def signature_bytes(sig: LeanMinHash) -> bytes:
    """The signature as stored: its scheme and dtype, then its hash values."""
    values = np.asarray(sig.hashvalues)
    return f"{sig.scheme}:{values.dtype.str}:".encode("ascii") + values.tobytes()


def signature_from_bytes(blob: bytes) -> LeanMinHash:
    scheme, _, rest = blob.partition(b":")
    dtype, _, data = rest.partition(b":")
    values = np.frombuffer(data, dtype=np.dtype(dtype.decode("ascii")))
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=scheme.decode("ascii"))


class NearDuplicateIndex:
    """MinHash LSH over the stored signatures; call :meth:`refresh` inside the write transaction."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[int, LeanMinHash] = {}
        self._roots: dict[int, int] = {}  # document id -> the original it copies (or itself)
        self._loaded_up_to = 0

    def refresh(self, session: Session) -> None:
        """Load the signatures stored since the last refresh (by this or any other process)."""
        rows = session.execute(
            select(DocumentRow.id, DocumentRow.minhash, DocumentRow.duplicate_of_id)
            .where(DocumentRow.id > self._loaded_up_to, DocumentRow.minhash.is_not(None))
            .order_by(DocumentRow.id)
        )
        for doc_id, blob, duplicate_of in rows:
            self.add(doc_id, signature_from_bytes(blob), duplicate_of or doc_id)

    def add(self, doc_id: int, sig: LeanMinHash, root_id: int) -> None:
        if doc_id in self._signatures:
            return
        self._lsh.insert(doc_id, sig)
        self._signatures[doc_id] = sig
        self._roots[doc_id] = root_id
        self._loaded_up_to = max(self._loaded_up_to, doc_id)

    def original_of(self, sig: LeanMinHash) -> tuple[int, float] | None:
        """The original document ``sig`` is a near-copy of, with the estimated similarity."""
        best: tuple[int, float] | None = None
        for doc_id in self._lsh.query(sig):
            similarity = float(sig.jaccard(self._signatures[doc_id]))
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (doc_id, similarity)
        if best is None:
            return None
        return self._roots[best[0]], best[1]
