"""Document ids that never collide, and the duplicates a run reads once.

An article keeps the id it is stored under (found by its origin: the build root's folder
name and the path under it); an id another file took becomes ``ID-XXXXXXXX``. An article
whose words are the same as, or nearly the same as, one read before is a duplicate.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from kg.records import Document

logger = logging.getLogger(__name__)

# near-duplicates: articles whose word 5-grams overlap this much (Jaccard, estimated from
# bottom-k sketches) are one article saved twice, or a wire story run again
_SHINGLE_WORDS = 5
_SKETCH_SIZE = 128
_NEAR_DUPLICATE = 0.9
_MIN_NEAR_WORDS = 40  # shorter texts are compared exactly only
_BAND_ROWS = 8  # 16 bands of 8 values: the LSH candidates
# multiply-shift hashing (Dietzfelbinger): odd 64-bit multipliers, arithmetic mod 2^64,
# the high 32 bits kept; fixed seeds give the same signatures on every run
_HASHES = np.random.default_rng(20261130)
_HASH_A = _HASHES.integers(0, 1 << 63, _SKETCH_SIZE, dtype=np.uint64) * np.uint64(2) + \
    np.uint64(1)
_HASH_B = _HASHES.integers(0, 1 << 63, _SKETCH_SIZE, dtype=np.uint64)
_SHIFT = np.uint64(32)


class Kept(NamedTuple):
    """An article kept: what a duplicate of it is told."""

    id: str
    source: str


def origin_of(root: Path, path: Path) -> str:
    """Where a file was read, the same on every machine: the build root's name and the
    path under it ("corpus/2007/a.txt"); for a file named itself, its folder's name and
    its own ("2007/a.txt")."""
    if path == root:
        parent = root.absolute().parent
        return f"{parent.resolve().name or parent.anchor}/{root.name}"
    base = root.absolute().resolve().name or root.anchor
    try:
        under = path.relative_to(root).as_posix()
    except ValueError:
        under = path.name
    return f"{base}/{under}"


def _same_origin(one: str, other: str) -> bool:
    """Tell whether two origins name the same file: equal, or one a path suffix of the other
    ("corpus/2007/a.txt" is "2007/a.txt" built from inside the corpus)."""
    one_path, _, one_id = one.partition("#")
    other_path, _, other_id = other.partition("#")
    if one_id != other_id:
        return False
    return (one_path == other_path or one_path.endswith("/" + other_path)
            or other_path.endswith("/" + one_path))


def _origin_key(origin: str) -> str:
    return origin.rsplit("/", 1)[-1]


class Ids:
    """Document ids that never collide within a run or with a different stored article,
    and stay the same when an article is read again.

    An article keeps the id it is stored under (found by its origin); else it takes its
    own id (file name without extension, or the JSONL ``id``) when that is free; else
    ``ID-XXXXXXXX``, the first eight hex digits of the SHA-1 of its origin, so that the
    same file gets the same id in every run.
    """

    def __init__(self, stored: Mapping[str, str | None]) -> None:
        self.stored = dict(stored)
        self.taken: set[str] = set()
        self.by_origin: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for doc_id, origin in self.stored.items():
            if origin:
                self.by_origin[_origin_key(origin)].append((origin, doc_id))

    def assign(self, doc: Document) -> Document:
        origin = doc.origin or doc.source or doc.id
        for stored_origin, stored_id in self.by_origin.get(_origin_key(origin), ()):
            if _same_origin(origin, stored_origin) and stored_id not in self.taken:
                return self._take(doc, stored_id)
        other = self.stored.get(doc.id, "")
        if doc.id not in self.taken and (other == "" or other is None
                                         or _same_origin(origin, other)):
            return self._take(doc, doc.id)
        digest = hashlib.sha1(origin.encode("utf-8", "surrogatepass")).hexdigest()
        candidate = base = f"{doc.id}-{digest[:8]}"
        number = 1
        while candidate in self.taken or candidate in self.stored:
            number += 1
            candidate = f"{base}-{number}"
        where = (f"the stored article from {other}" if doc.id not in self.taken and other
                 else "an article read before")
        logger.warning("%s: id %r is taken by %s, using %r", doc.source or origin, doc.id,
                       where, candidate)
        return self._take(doc, candidate)

    def _take(self, doc: Document, doc_id: str) -> Document:
        self.taken.add(doc_id)
        return doc if doc_id == doc.id else replace(doc, id=doc_id)


class Duplicates:
    """Find articles read before with the same text (exactly, or nearly: word 5-gram
    overlap estimated from MinHash signatures, as in Broder's resemblance).

    Candidates come from locality-sensitive hashing on bands of the signature, so an
    article is compared only with the few that share a whole band (at 0.9 resemblance a
    pair shares one with probability above 0.999; at 0.5, about 0.06): the cost per article
    does not grow with the number read, and only signatures and ids are kept, not texts.
    """

    def __init__(self) -> None:
        self.exact: dict[str, Kept] = {}
        self.signatures: list[tuple[np.ndarray, Kept]] = []
        self.buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)

    def kept(self, doc: Document) -> Kept | None:
        """The article read before that this one duplicates, else None (and remember it)."""
        words = re.findall(r"\w+", doc.text[doc.body_start:].lower())
        exact = hashlib.sha1(" ".join(words).encode("utf-8", "surrogatepass")).hexdigest()
        if exact in self.exact:
            return self.exact[exact]
        me = Kept(id=doc.id, source=doc.source)
        self.exact[exact] = me
        if len(words) < _MIN_NEAR_WORDS:
            return None
        shingles = np.fromiter({zlib.crc32(" ".join(words[i:i + _SHINGLE_WORDS]).encode(
            "utf-8", "surrogatepass")) for i in range(len(words) - _SHINGLE_WORDS + 1)},
            dtype=np.uint64)
        signature = ((_HASH_A[:, None] * shingles[None, :] + _HASH_B[:, None])
                     >> _SHIFT).min(axis=1).astype(np.uint32)
        bands = [(b, signature[b * _BAND_ROWS:(b + 1) * _BAND_ROWS].tobytes())
                 for b in range(_SKETCH_SIZE // _BAND_ROWS)]
        candidates = sorted({n for band in bands for n in self.buckets.get(band, ())})
        for number in candidates:
            other, kept = self.signatures[number]
            if np.count_nonzero(other == signature) >= _NEAR_DUPLICATE * _SKETCH_SIZE:
                return kept
        for band in bands:
            self.buckets[band].append(len(self.signatures))
        self.signatures.append((signature, me))
        return None


