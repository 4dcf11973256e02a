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
# a band's 8 values mixed into one 64-bit word (odd multipliers; the salt tells bands apart)
_BAND_MIX = _HASHES.integers(0, 1 << 63, _BAND_ROWS, dtype=np.uint64) * np.uint64(2) + \
    np.uint64(1)
_BAND_SALT = _HASHES.integers(0, 1 << 63, _SKETCH_SIZE // _BAND_ROWS, dtype=np.uint64)
_LOW_BITS = np.uint64(0xFFFFFFFF)
_MERGE_EVERY = 1 << 16  # band words kept in a dict before they are sorted in


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
    article is compared only with those that share a whole band (at 0.9 resemblance a
    pair shares one with probability above 0.999; at 0.5, about 0.06), all at once, and
    the one sharing most values wins. What it keeps per article is fixed and small, so a
    run of 100,000 articles holds about 50 MB (issue #13): the low 16 bits of each
    signature value (two different values look alike once in 65,536; with 8 bits, once in
    256, pairs of 0.85 resemblance crossed the threshold), one 64-bit word per band in a
    sorted array (``_Bands``), and the id and source the message names; never texts.
    """

    def __init__(self) -> None:
        self.exact: dict[str, int] = {}  # texts too short to sketch: digest -> article
        # "id\0source" of each article kept: one string is half the memory of a Kept
        self.kept_articles: list[str] = []
        self.signatures = np.empty((1024, _SKETCH_SIZE), dtype=np.uint16)
        self.bands = _Bands()

    def kept(self, doc: Document) -> Kept | None:
        """The article read before that this one duplicates, else None (and remember it)."""
        words = re.findall(r"\w+", doc.text[doc.body_start:].lower())
        number = len(self.kept_articles)
        if len(words) < _MIN_NEAR_WORDS:
            # a long text the same as one read before has the same signature, and is found
            # below; a short one has no signature
            exact = hashlib.sha1(" ".join(words).encode("utf-8", "surrogatepass")).hexdigest()
            if exact in self.exact:
                return self._kept(self.exact[exact])
            self.exact[exact] = number
            self.kept_articles.append(f"{doc.id}\0{doc.source}")
            return None
        shingles = np.fromiter({zlib.crc32(" ".join(words[i:i + _SHINGLE_WORDS]).encode(
            "utf-8", "surrogatepass")) for i in range(len(words) - _SHINGLE_WORDS + 1)},
            dtype=np.uint64)
        signature = ((_HASH_A[:, None] * shingles[None, :] + _HASH_B[:, None])
                     >> _SHIFT).min(axis=1).astype(np.uint32)
        bands = (signature.reshape(-1, _BAND_ROWS).astype(np.uint64) * _BAND_MIX).sum(
            axis=1, dtype=np.uint64) + _BAND_SALT
        low = signature.astype(np.uint16)
        candidates = self.bands.find(bands)
        if len(candidates):
            same = np.count_nonzero(self.signatures[candidates] == low, axis=1)
            best = int(np.argmax(same))  # the first kept of those sharing most values
            if same[best] >= _NEAR_DUPLICATE * _SKETCH_SIZE:
                return self._kept(candidates[best])
        if number == len(self.signatures):  # twice the room; untouched pages take no memory
            grown = np.empty((2 * number, _SKETCH_SIZE), dtype=np.uint16)
            grown[:number] = self.signatures
            self.signatures = grown
        self.signatures[number] = low
        self.bands.add(bands, number)
        self.kept_articles.append(f"{doc.id}\0{doc.source}")
        return None

    def _kept(self, number: int) -> Kept:
        # a source is a path (no NUL in it); a JSONL id may hold anything
        doc_id, _, source = self.kept_articles[number].rpartition("\0")
        return Kept(id=doc_id, source=source)


class _Bands:
    """The LSH buckets: which articles have each band value, in about 8 bytes per band.

    A band's value is hashed to 32 bits and kept with the article's number in one 64-bit
    word, in a sorted array looked up by binary search; a new article's words wait in a
    dict until ``_MERGE_EVERY`` of them are sorted in. (A dict of lists per band value
    took ~250 bytes each: 16 bands x 100,000 articles is 400 MB.) Two band values that hash
    alike only add a candidate, which the signature comparison turns down.
    """

    def __init__(self) -> None:
        self.sorted = np.empty(0, dtype=np.uint64)
        self.recent: dict[int, list[int]] = {}
        self.waiting = 0

    def find(self, bands: np.ndarray) -> np.ndarray:
        """The numbers of the articles sharing any of these band values, ascending."""
        keys = _band_keys(bands)
        low = np.searchsorted(self.sorted, keys << _SHIFT)
        high = np.searchsorted(self.sorted, (keys << _SHIFT) | _LOW_BITS, side="right")
        found = [self.sorted[start:end] & _LOW_BITS
                 for start, end in zip(low.tolist(), high.tolist()) if end > start]
        found += [np.array(self.recent[key], dtype=np.uint64) for key in keys.tolist()
                  if key in self.recent]
        if not found:
            return np.empty(0, dtype=np.intp)
        return np.unique(np.concatenate(found)).astype(np.intp)

    def add(self, bands: np.ndarray, number: int) -> None:
        for key in _band_keys(bands).tolist():
            self.recent.setdefault(key, []).append(number)
        self.waiting += len(bands)
        if self.waiting >= _MERGE_EVERY:
            words = [(key << 32) | number for key, numbers in self.recent.items()
                     for number in numbers]
            self.sorted = np.concatenate([self.sorted, np.array(words, dtype=np.uint64)])
            self.sorted.sort()
            self.recent.clear()
            self.waiting = 0


def _band_keys(bands: np.ndarray) -> np.ndarray:
    """32-bit keys of 64-bit band values (their high bits, which the mixing spreads)."""
    return bands >> _SHIFT
