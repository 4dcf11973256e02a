"""The records passed between stages.

Every stage boundary passes small, frozen, keyword-only dataclasses. They hold strings,
ints and tuples only (character offsets, never spaCy objects), so they pickle across
``nlp.pipe(n_process=...)`` and outlive the Doc they came from. Field names are the names
of the JSONL record contract in DESIGN.md; ``to_json()`` writes exactly that contract.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

# the event classes of kg/data/predicates.tsv (PLOVER's, plus say, offer, propose, deploy,
# host, travel and investigate); tests/test_lexicon.py checks the two agree
PREDICATES = (
    "say", "request", "offer", "propose", "consult", "travel", "host", "agree", "support",
    "cooperate", "aid", "concede", "retreat", "investigate", "accuse", "reject", "threaten",
    "protest", "mobilize", "deploy", "sanction", "coerce", "assault",
)
MODALITIES = ("asserted", "planned", "proposed", "conditional", "hypothetical", "reported")
POLARITIES = ("support", "oppose")
ACTOR_TYPES = ("Person", "Organization", "Country", "Group", "Office", "Treaty", "Place", "Thing")

Polarity = Literal["support", "oppose"]


def _check_span(start: int, end: int) -> None:
    if not 0 <= start < end:
        raise ValueError(f"bad evidence offsets {start}..{end}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One article as read from disk, with its metadata."""

    id: str
    text: str
    source: str = ""
    title: str | None = None
    title_start: int | None = None  # where the headline stands in the file (blanked in ``text``)
    author: str | None = None
    publisher: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    place: str | None = None  # dateline place
    url: str | None = None
    author_role: str | None = None  # "Staff Writer", from the byline
    byline: str | None = None  # the byline lines as written (blanked in ``text``)
    byline_start: int = 0  # where the byline lines start in the text
    body_start: int = 0  # offset where the body starts (after headline, byline, dateline)
    # where the article was read, the same on every machine: the build root's name and the
    # path under it ("corpus/2007/a.txt"), "#ID" added for a JSONL line; tells a changed
    # article from a different one that happens to have the same id
    origin: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("document id is empty")

    @property
    def content_hash(self) -> str:
        """The SHA-256 of the text and the metadata, used to skip unchanged documents.

        The metadata counts because it may come from outside the text (a sidecar
        ``NAME.meta.json``, JSONL keys, HTML markup): editing it must rebuild the article.
        """
        digest = hashlib.sha256(self.text.encode("utf-8", "surrogatepass"))
        for key in DOCUMENT_METADATA:
            value = getattr(self, key)
            digest.update(b"\x00" + key.encode() + b"=" + (value or "").encode(
                "utf-8", "surrogatepass"))
        return digest.hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The ``document`` record of ``kg extract``: metadata, never the text."""
        return {"kind": "document", "doc": self.id, "id": self.id, "title": self.title,
                "published": self.published, "url": self.url, "publisher": self.publisher,
                "author": self.author, "place": self.place, "source": self.source or None}


# the metadata fields of a Document that its content hash covers besides the text
DOCUMENT_METADATA = ("title", "author", "publisher", "published", "place", "url")


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityRef:
    """A reference to an actor, issue or thing: what relations point at."""

    id: str
    label: str
    type: str = "Thing"

    def __post_init__(self) -> None:
        if not self.id or not self.label:
            raise ValueError("entity reference needs an id and a label")

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "type": self.type}


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """A canonical actor of one document, with every surface form seen."""

    doc: str
    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: int = 1
    country: str | None = None  # ISO 3166 alpha-2 code for countries, nationality for persons
    same_as: tuple[str, ...] = ()  # Wikidata and other IRIs for the same thing
    code: str | None = None  # CAMEO-style actor code, e.g. RUSGOV

    def __post_init__(self) -> None:
        if self.mentions < 1:
            raise ValueError(f"actor {self.label!r} has no mentions")

    @property
    def ref(self) -> EntityRef:
        return EntityRef(id=self.id, label=self.label, type=self.type)

    def to_json(self) -> dict[str, Any]:
        return {"kind": "actor", "doc": self.doc, "id": self.id, "label": self.label,
                "type": self.type, "aliases": list(self.aliases), "mentions": self.mentions,
                "country": self.country, "same_as": list(self.same_as), "code": self.code}


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """Where in the document a record comes from."""

    sentence: str
    start: int
    end: int
    # where ``sentence`` begins in the document when the evidence is only part of it (a
    # quotation within its sentence); None when the evidence is the sentence
    sentence_start: int | None = None

    def __post_init__(self) -> None:
        _check_span(self.start, self.end)

    @property
    def sentence_span(self) -> tuple[int, int]:
        """The sentence's own offsets in the document."""
        if self.sentence_start is None:
            return self.start, self.end
        return self.sentence_start, self.sentence_start + len(self.sentence)


def _evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {"sentence": evidence.sentence, "start": evidence.start, "end": evidence.end}


def _ref_json(ref: EntityRef | None) -> dict[str, Any] | None:
    return ref.to_json() if ref is not None else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    """An actor holds a role or title, optionally of a country or organisation."""

    doc: str
    subject: EntityRef
    role: str
    of: EntityRef | None
    evidence: Evidence

    def to_json(self) -> dict[str, Any]:
        return {"kind": "role", "doc": self.doc, "subject": self.subject.to_json(),
                "role": self.role, "of": _ref_json(self.of), **_evidence_json(self.evidence)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Relation:
    """A typed event between an actor and an actor or thing."""

    doc: str
    subject: EntityRef
    predicate: str
    object: EntityRef | None
    evidence: Evidence
    verb: str = ""  # the surface trigger, e.g. "offered"
    recipient: EntityRef | None = None
    place: EntityRef | None = None
    time: str | None = None
    modality: str = "asserted"
    negated: bool = False
    confidence: float = 0.5
    cameo: str | None = None  # the most specific CAMEO event code the trigger supports

    def __post_init__(self) -> None:
        if self.cameo is not None and not (self.cameo.isdigit() and 2 <= len(self.cameo) <= 4):
            raise ValueError(f"CAMEO code {self.cameo!r} is not 2-4 digits")
        if self.predicate not in PREDICATES:
            raise ValueError(f"unknown predicate {self.predicate!r}")
        if self.modality not in MODALITIES:
            raise ValueError(f"unknown modality {self.modality!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is not in 0..1")

    def to_json(self) -> dict[str, Any]:
        return {"kind": "relation", "doc": self.doc, "subject": self.subject.to_json(),
                "predicate": self.predicate, "object": _ref_json(self.object),
                "recipient": _ref_json(self.recipient), "place": _ref_json(self.place),
                "time": self.time, "modality": self.modality, "negated": self.negated,
                "confidence": round(self.confidence, 3), "verb": self.verb,
                "cameo": self.cameo, **_evidence_json(self.evidence)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A direct quotation attributed to its speaker."""

    doc: str
    speaker: EntityRef
    text: str
    evidence: Evidence
    time: str | None = None

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("empty quotation")

    def to_json(self) -> dict[str, Any]:
        return {"kind": "quote", "doc": self.doc, "speaker": self.speaker.to_json(),
                "text": self.text, "time": self.time, **_evidence_json(self.evidence)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """The stance of an actor on an issue at a time, and what it rests on."""

    doc: str
    holder: EntityRef
    issue: EntityRef
    polarity: str
    evidence: Evidence
    basis: str = ""  # what the stance rests on, e.g. "relation:offer" or "quote"
    time: str | None = None

    def __post_init__(self) -> None:
        if self.polarity not in POLARITIES:
            raise ValueError(f"unknown polarity {self.polarity!r}")

    @property
    def sign(self) -> int:
        return 1 if self.polarity == "support" else -1

    def to_json(self) -> dict[str, Any]:
        return {"kind": "position", "doc": self.doc, "holder": self.holder.to_json(),
                "issue": {"id": self.issue.id, "label": self.issue.label},
                "polarity": self.polarity, "time": self.time, "evidence": self.basis,
                **_evidence_json(self.evidence)}


Record = Actor | Role | Relation | Quote | Position


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """Everything extracted from one document: the unit a build stores."""

    document: Document
    records: tuple[Record, ...] = field(default=())

    def to_json(self) -> list[dict[str, Any]]:
        """The lines ``kg extract`` writes: the document record, then every record dated.

        Every record gets ``date`` and ``date_source``: its own resolved ``time``
        (``"text"``), else the document's publication date (``"published"``), else null
        (``null``). ``time`` keeps the date found in the text alone, as it always did.
        """
        published = self.document.published
        lines = [self.document.to_json()]
        for record in self.records:
            line = record.to_json()
            own = line.get("time")
            date = own or published
            line["date"] = date
            line["date_source"] = ("text" if own else "published") if date else None
            lines.append(line)
        return lines
