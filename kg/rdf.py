"""Map records to RDF: the one module that mints IRIs and RDF terms.

``docs/rdf-model.md`` is the contract this module implements; the OWL ontology and the
SHACL shapes are in ``kg/ontology/``. Every document gets its own named graph
(``graph_iri(doc_id)``); actors and issues are described once, in ``ENTITIES_GRAPH``.

The IRI functions return plain ``str`` so that extractors can fill ``EntityRef.id`` without
touching rdflib. The one mapper makes quads of plain values (``plain_quads``: IRIs as
``str``, literals as ``Lit``), which the store writes as ``insert_data`` text and
``to_nquads`` as N-Quads, the fast paths into Oxigraph and any other SPARQL store;
``extraction_quads`` gives the same quads as rdflib terms, for exports and tests.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import NamedTuple
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import (
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)
from rdflib.term import Node

from kg.records import Actor, EntityRef, Evidence, Extraction, Position, Quote, Relation, Role

__all__ = [
    "ENTITIES_GRAPH",
    "ISSUE_SCHEME",
    "ROLE_SCHEME",
    "KG",
    "KGG",
    "KGI",
    "KGR",
    "PREFIXES",
    "Quad",
    "SEM",
    "actor_iri",
    "doc_iri",
    "extraction_quads",
    "graph_iri",
    "insert_data",
    "Lit",
    "PlainQuad",
    "plain_quads",
    "issue_iri",
    "mention_iri",
    "quads_to_nquads",
    "role_iri",
    "sentence_iri",
    "slug",
    "thing_iri",
    "to_nquads",
]


class KG(DefinedNamespace):
    """The kg ontology: classes and properties of ``kg/ontology/kg.ttl``."""

    _NS = Namespace("https://w3id.org/kg/ontology#")
    _fail = True

    # classes
    Actor: URIRef
    Relation: URIRef
    RoleAssignment: URIRef
    Position: URIRef
    Issue: URIRef
    Sentence: URIRef
    Thing: URIRef
    Group: URIRef
    Office: URIRef
    Treaty: URIRef
    MentionCount: URIRef
    eventTypes: URIRef  # the skos:ConceptScheme of the event types
    # n-ary node properties
    subject: URIRef
    predicate: URIRef
    object: URIRef
    recipient: URIRef
    modality: URIRef
    negated: URIRef
    confidence: URIRef
    verb: URIRef
    holder: URIRef
    role: URIRef
    of: URIRef
    issue: URIRef
    polarity: URIRef
    sign: URIRef
    basis: URIRef
    # sentences, documents, mentions
    start: URIRef
    end: URIRef
    mentions: URIRef
    actor: URIRef
    count: URIRef
    contentHash: URIRef
    source: URIRef
    origin: URIRef
    datelinePlace: URIRef
    date: URIRef
    # summaries in the entities graph (kg.store)
    documentCount: URIRef
    mentionCount: URIRef
    # actors and event types
    actorType: URIRef
    isoCode: URIRef
    nationality: URIRef
    nationalityCode: URIRef
    cameoCode: URIRef
    ploverCode: URIRef


class KGR(DefinedNamespace):
    """Event types (``kg.records.PREDICATES``): SKOS concepts, and properties of direct triples."""

    _NS = Namespace("https://w3id.org/kg/relation/")
    _fail = True

    say: URIRef
    request: URIRef
    offer: URIRef
    propose: URIRef
    consult: URIRef
    travel: URIRef
    host: URIRef
    agree: URIRef
    support: URIRef
    cooperate: URIRef
    aid: URIRef
    concede: URIRef
    retreat: URIRef
    investigate: URIRef
    accuse: URIRef
    reject: URIRef
    threaten: URIRef
    protest: URIRef
    mobilize: URIRef
    deploy: URIRef
    sanction: URIRef
    coerce: URIRef
    assault: URIRef


class SEM(DefinedNamespace):
    """The Simple Event Model, only the terms kg uses."""

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True

    Event: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTimeStamp: URIRef


KGI = "https://w3id.org/kg/id/"
KGG = "https://w3id.org/kg/graph/"
ENTITIES_GRAPH = KGG + "entities"
ISSUE_SCHEME = KGI + "issue/scheme"
ROLE_SCHEME = KGI + "role/scheme"

PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "kgr": str(KGR._NS),
    "kgi": KGI,
    "kgg": KGG,
    "schema": str(SDO._NS),
    "prov": str(PROV._NS),
    "dcterms": str(DCTERMS._NS),
    "skos": str(SKOS._NS),
    "sem": str(SEM._NS),
    "owl": str(OWL._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
}

# letters NFKD does not decompose into an ASCII base letter
_FOLD = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ħ": "H",
                       "ħ": "h", "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe",
                       "Þ": "Th", "þ": "th", "ı": "i"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

Quad = tuple[URIRef, URIRef, Node, URIRef]


class Lit(NamedTuple):
    """A literal as the mapper makes it: its lexical form and datatype IRI (None: a string).

    The mapper works in plain values (an IRI is a ``str``, a literal a ``Lit``): rdflib's
    terms validate and convert on construction and hash by type name, which made them most
    of a build's writing time (issue #13). ``extraction_quads`` turns them into rdflib terms.
    """

    lexical: str
    datatype: str | None = None


PlainQuad = tuple[str, str, "str | Lit", str]


class _Terms:
    """The IRIs of a namespace's terms as plain ``str``: each name is checked by rdflib
    (a DefinedNamespace refuses names it does not define) on first use, then cached."""

    def __init__(self, namespace: type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        iri = str(self._namespace[name])
        setattr(self, name, iri)
        return iri

    def __getitem__(self, name: str) -> str:
        return getattr(self, name)


@functools.lru_cache(maxsize=65536)
def slug(label: str) -> str:
    """Return the IRI slug of a label: ASCII-folded, lower-case, runs of other characters as "-".

    A label with no ASCII letter or digit at all (e.g. in another script) gets a stable
    hash-based slug, so that it still has an IRI of its own.

    Example:
        >>> slug("Lech Kaczyński")
        'lech-kaczynski'
    """
    folded = unicodedata.normalize("NFKD", label.translate(_FOLD))
    ascii_label = folded.encode("ascii", "ignore").decode("ascii").lower()
    result = _NON_ALNUM.sub("-", ascii_label).strip("-")
    if not result:
        result = "u-" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:12]
    return result


def actor_iri(label: str) -> str:
    """Return the IRI of the actor with this canonical label.

    Example:
        >>> actor_iri("United States")
        'https://w3id.org/kg/id/actor/united-states'
    """
    return f"{KGI}actor/{slug(label)}"


def thing_iri(label: str) -> str:
    """Return the IRI of a non-actor object ("a radar station")."""
    return f"{KGI}thing/{slug(label)}"


def issue_iri(label: str) -> str:
    """Return the IRI of an issue concept ("US missile defense in Europe")."""
    return f"{KGI}issue/{slug(label)}"


def role_iri(label: str) -> str:
    """Return the IRI of a role concept ("President", "national security adviser")."""
    return f"{KGI}role/{slug(label)}"


def _doc_part(doc_id: str) -> str:
    return quote(doc_id, safe="")


def doc_iri(doc_id: str) -> str:
    """Return the IRI of a document; the id is percent-encoded.

    Example:
        >>> doc_iri("2008 08 15")
        'https://w3id.org/kg/id/doc/2008%2008%2015'
    """
    return f"{KGI}doc/{_doc_part(doc_id)}"


def sentence_iri(doc_id: str, start: int, end: int) -> str:
    """Return the IRI of the evidence span ``start..end`` of a document."""
    return f"{KGI}doc/{_doc_part(doc_id)}/s/{start}-{end}"


def graph_iri(doc_id: str) -> str:
    """Return the IRI of the named graph that holds what was extracted from a document."""
    return f"{KGG}doc/{_doc_part(doc_id)}"


def mention_iri(doc_id: str, actor: str) -> str:
    """Return the IRI of the mention count of an actor (its IRI) in a document.

    Keyed by the actor's IRI, not its label, so that two actors never share one.

    Example:
        >>> mention_iri("a", actor_iri("Vladimir Putin"))
        'https://w3id.org/kg/id/doc/a/mentions/vladimir-putin'
    """
    tail = actor[len(_ACTOR_PREFIX):] if actor.startswith(_ACTOR_PREFIX) else slug(actor)
    return f"{KGI}doc/{_doc_part(doc_id)}/mentions/{tail}"


def _node_iri(doc_id: str, kind: str, n: int, record: Relation | Quote | Role | Position) -> str:
    # the hash of the record's JSON makes rebuilds mint the same IRI for the same record
    text = json.dumps(record.to_json(), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{KGI}doc/{_doc_part(doc_id)}/{kind}/{n}-{digest}"


def _date(value: str, what: str) -> Lit:
    """An ISO date as xsd:date; a year or a month alone ("1997", "2001-06", as precise as
    the text was) as xsd:gYear or xsd:gYearMonth."""
    if re.fullmatch(r"\d{4}", value):
        return Lit(value, _xsd.gYear)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return Lit(value, _xsd.gYearMonth)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        try:
            day = dt.datetime.fromisoformat(value).date()
        except ValueError:
            raise ValueError(f"{what}: {value!r} is not an ISO date "
                             "(YYYY-MM-DD, YYYY-MM or YYYY)") from None
    return Lit(day.isoformat(), _xsd.date)


def _decimal(value: float) -> Lit:
    # three places, in the canonical form Oxigraph stores ("0.9", "1"), so that what goes
    # in is exactly what comes out
    return Lit(f"{value:.3f}".rstrip("0").rstrip("."), _xsd.decimal)


def _string(value: str) -> Lit:
    return Lit(value)


def _integer(value: int) -> Lit:
    return Lit(str(int(value)), _xsd.integer)


def _boolean(value: bool) -> Lit:
    return Lit("true" if value else "false", _xsd.boolean)


# the plain-str IRIs the mapper writes (see ``Lit``)
_kg, _kgr, _sem = _Terms(KG), _Terms(KGR), _Terms(SEM)
_rdf, _rdfs, _owl, _xsd = _Terms(RDF), _Terms(RDFS), _Terms(OWL), _Terms(XSD)
_sdo, _skos, _dcterms, _prov = _Terms(SDO), _Terms(SKOS), _Terms(DCTERMS), _Terms(PROV)

# the record's `type` string → the class it adds to kg:Actor
_ACTOR_CLASSES = {
    "Person": _sdo.Person,
    "Organization": _sdo.Organization,
    "Country": _sdo.Country,
    "Place": _sdo.Place,
    "Group": _kg.Group,
    "Office": _kg.Office,
    "Treaty": _kg.Treaty,
}


class _Mapper:
    """Collect the quads of one extraction, without duplicates, in a stable order."""

    def __init__(self, extraction: Extraction) -> None:
        self.document = extraction.document
        self.doc = doc_iri(self.document.id)
        self.graph = graph_iri(self.document.id)
        self.entities = ENTITIES_GRAPH
        self.quads: dict[PlainQuad, None] = {}
        self.countries: dict[str, str] = {}
        self.mention_counts: dict[str, int] = {}

    def add(self, s: str, p: str, o: str | Lit, graph: str | None = None) -> None:
        self.quads[(s, p, o, self.graph if graph is None else graph)] = None

    def map(self, records: Iterable[object]) -> list[PlainQuad]:
        records = tuple(records)
        self.countries = {record.country.upper(): _safe_iri(record.id)
                          for record in records
                          if isinstance(record, Actor) and record.type == "Country"
                          and record.country}
        self.add_document()
        counters = {"relation": 0, "quote": 0, "role": 0, "position": 0}
        for record in records:
            if isinstance(record, Actor):
                self.add_actor(record)
                continue
            kind = _KINDS.get(type(record))
            if kind is None:
                raise TypeError(f"{self.document.id}: cannot map a {type(record).__name__} to RDF")
            counters[kind] += 1
            node = _node_iri(self.document.id, kind, counters[kind], record)  # type: ignore
            getattr(self, f"add_{kind}")(node, record)
            self.add_date(node, record)  # type: ignore[arg-type]
        self.add_mention_counts()
        return list(self.quads)

    def add_date(self, node: str, record: Relation | Quote | Role | Position) -> None:
        # the date a record is filed under (the JSONL `date`): its own time, else its
        # article's publication date; one triple on the node, so that queries order and
        # filter by date without joining sentence and article (issue #13)
        own = getattr(record, "time", None)
        date = own or self.document.published
        if date:
            self.add(node, _kg.date, _date(date, f"{self.document.id}: date"))

    def add_document(self) -> None:
        document, doc = self.document, self.doc
        self.add(doc, _rdf.type, _sdo.NewsArticle)
        self.add(doc, _dcterms.identifier, _string(document.id))
        self.add(doc, _kg.contentHash, _string(document.content_hash))
        if document.source:
            self.add(doc, _kg.source, _string(document.source))
        if document.origin:
            self.add(doc, _kg.origin, _string(document.origin))
        if document.url and _is_web_url(document.url):
            self.add(doc, _sdo.url, _safe_iri(document.url))
        if document.title:
            self.add(doc, _dcterms.title, _string(document.title))
        if document.author:
            self.add(doc, _dcterms.creator, _string(document.author))
        if document.publisher:
            self.add(doc, _dcterms.publisher, _string(document.publisher))
        if document.published:
            self.add(doc, _dcterms.date, _date(document.published, f"{document.id}: published"))
        if document.place:
            self.add(doc, _kg.datelinePlace, _string(document.place))

    def add_sentence(self, evidence: Evidence) -> str:
        # the node is the sentence, with the sentence's offsets, even when the evidence is a
        # quotation inside it: one sentence, one node, whatever cites it
        start, end = evidence.sentence_span
        node = sentence_iri(self.document.id, start, end)
        self.add(node, _rdf.type, _kg.Sentence)
        self.add(node, _dcterms.isPartOf, self.doc)
        self.add(node, _kg.start, _integer(start))
        self.add(node, _kg.end, _integer(end))
        self.add(node, _sdo.text, _string(evidence.sentence))
        return node

    def add_actor(self, actor: Actor) -> None:
        node = self.describe_actor(actor.ref)
        for iri in actor.same_as:
            self.add(node, _owl.sameAs, _safe_iri(iri), self.entities)
        if actor.country:
            code = actor.country.upper()
            if actor.type == "Country":
                self.add(node, _kg.isoCode, _string(code), self.entities)
            else:
                # the nationality of a person or organisation: always as a code (which joins
                # its country through kg:isoCode), as a link when the country is an actor here
                self.add(node, _kg.nationalityCode, _string(code), self.entities)
                country = self.countries.get(code)
                if country is not None:
                    self.add(node, _kg.nationality, country, self.entities)
        if actor.code:
            self.add(node, _kg.cameoCode, _string(actor.code), self.entities)
        self.add(self.doc, _kg.mentions, node)
        for alias in actor.aliases:
            self.add(node, _skos.altLabel, _string(alias))
        # one count per actor node: a name read as a person and as an organisation is two
        # records of one actor IRI, whose mentions add up (issue #13: two kg:count values)
        self.mention_counts[node] = self.mention_counts.get(node, 0) + actor.mentions

    def add_mention_counts(self) -> None:
        for node, count in self.mention_counts.items():
            mentions = mention_iri(self.document.id, str(node))
            self.add(mentions, _rdf.type, _kg.MentionCount)
            self.add(mentions, _dcterms.isPartOf, self.doc)
            self.add(mentions, _kg.actor, node)
            self.add(mentions, _kg.count, _integer(count))

    def describe_actor(self, ref: EntityRef) -> str:
        node = _safe_iri(ref.id)
        self.add(node, _rdf.type, _kg.Actor, self.entities)
        actor_class = _ACTOR_CLASSES.get(ref.type)
        if actor_class is not None:
            self.add(node, _rdf.type, actor_class, self.entities)
        self.add(node, _rdfs.label, _string(ref.label), self.entities)
        self.add(node, _kg.actorType, _string(ref.type), self.entities)
        return node

    def describe(self, ref: EntityRef) -> tuple[str, bool]:
        """Describe an object, recipient or place; return its IRI and whether it is an actor."""
        if ref.id.startswith(_THING_PREFIX):
            # things are named by one document ("a Soviet-built radar station"): they stay in it
            node = _safe_iri(ref.id)
            self.add(node, _rdf.type, _kg.Thing)
            self.add(node, _rdfs.label, _string(ref.label))
            return node, False
        if ref.id.startswith(_ISSUE_PREFIX):
            return self.describe_issue(ref), False
        return self.describe_actor(ref), True

    def describe_issue(self, ref: EntityRef) -> str:
        node = _safe_iri(ref.id)
        scheme = ISSUE_SCHEME
        self.add(scheme, _rdf.type, _skos.ConceptScheme, self.entities)
        self.add(node, _rdf.type, _skos.Concept, self.entities)
        self.add(node, _rdf.type, _kg.Issue, self.entities)
        self.add(node, _skos.prefLabel, _string(ref.label), self.entities)
        self.add(node, _skos.inScheme, scheme, self.entities)
        return node

    def describe_role(self, label: str) -> str:
        # described once, in the entities graph, like issues: a label repeated in every
        # document graph makes each label look-up return one row per document (issue #13)
        node = role_iri(label)
        scheme = ROLE_SCHEME
        self.add(scheme, _rdf.type, _skos.ConceptScheme, self.entities)
        self.add(node, _rdf.type, _skos.Concept, self.entities)
        self.add(node, _skos.prefLabel, _string(label), self.entities)
        self.add(node, _skos.inScheme, scheme, self.entities)
        return node

    def add_relation(self, node: str, relation: Relation) -> None:
        subject = self.describe_actor(relation.subject)
        predicate = _kgr[relation.predicate]
        self.add(node, _rdf.type, _kg.Relation)
        self.add(node, _rdf.type, _sem.Event)
        self.add(node, _kg.subject, subject)
        self.add(node, _kg.predicate, predicate)
        self.add(node, _sem.hasActor, subject)
        for prop, ref in ((_kg.object, relation.object), (_kg.recipient, relation.recipient),
                          (_sem.hasPlace, relation.place)):
            if ref is None:
                continue
            other, is_actor = self.describe(ref)
            self.add(node, prop, other)
            if is_actor and prop != _sem.hasPlace:
                self.add(node, _sem.hasActor, other)
        if relation.time:
            self.add(node, _sem.hasTimeStamp, _date(relation.time, f"{relation.doc}: relation time"))
        self.add(node, _kg.modality, _string(relation.modality))
        self.add(node, _kg.negated, _boolean(relation.negated))
        self.add(node, _kg.confidence, _decimal(relation.confidence))
        if relation.verb:
            self.add(node, _kg.verb, _string(relation.verb))
        if relation.cameo:
            self.add(node, _kg.cameoCode, _string(relation.cameo))
        self.add(node, _prov.wasDerivedFrom, self.add_sentence(relation.evidence))
        if relation.object is not None and not relation.negated:
            self.add(subject, predicate, _safe_iri(relation.object.id))

    def add_quote(self, node: str, quote_record: Quote) -> None:
        speaker = self.describe_actor(quote_record.speaker)
        self.add(node, _rdf.type, _sdo.Quotation)
        self.add(node, _sdo.creator, speaker)
        self.add(node, _sdo.text, _string(quote_record.text))
        if quote_record.time:
            date = _date(quote_record.time, f"{quote_record.doc}: quote time")
            self.add(node, _dcterms.date, date)
        self.add(node, _prov.wasDerivedFrom, self.add_sentence(quote_record.evidence))
        self.add(speaker, _kgr.say, node)

    def add_role(self, node: str, role: Role) -> None:
        holder = self.describe_actor(role.subject)
        concept = self.describe_role(role.role)
        self.add(node, _rdf.type, _kg.RoleAssignment)
        self.add(node, _kg.holder, holder)
        self.add(node, _kg.role, concept)
        if role.of is not None:
            self.add(node, _kg.of, self.describe(role.of)[0])
        self.add(node, _prov.wasDerivedFrom, self.add_sentence(role.evidence))

    def add_position(self, node: str, position: Position) -> None:
        self.add(node, _rdf.type, _kg.Position)
        self.add(node, _kg.holder, self.describe_actor(position.holder))
        self.add(node, _kg.issue, self.describe_issue(position.issue))
        self.add(node, _kg.polarity, _string(position.polarity))
        self.add(node, _kg.sign, _integer(position.sign))
        if position.time:
            self.add(node, _dcterms.date, _date(position.time, f"{position.doc}: position time"))
        if position.basis:
            self.add(node, _kg.basis, _string(position.basis))
        self.add(node, _prov.wasDerivedFrom, self.add_sentence(position.evidence))


_KINDS: dict[type, str] = {Relation: "relation", Quote: "quote", Role: "role", Position: "position"}
_THING_PREFIX = f"{KGI}thing/"
_ACTOR_PREFIX = f"{KGI}actor/"
_ISSUE_PREFIX = f"{KGI}issue/"

# characters that may not stand in an IRI (RFC 3987) are percent-encoded
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _is_web_url(value: str) -> bool:
    """An http(s) URL with a host: what schema:url can hold as an IRI."""
    return re.match(r"https?://[^/\s?#]+", value, re.IGNORECASE) is not None


def _safe_iri(value: str) -> str:
    return _IRI_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", value)


def extraction_quads(extraction: Extraction) -> list[Quad]:
    """Map one document and its records to RDF quads.

    Args:
        extraction: the document and everything extracted from it.

    Returns:
        ``(subject, predicate, object, graph)`` tuples of rdflib terms, without duplicates:
        the document graph (``graph_iri(doc_id)``) and the descriptions of the actors and
        issues it refers to (``ENTITIES_GRAPH``).

    Raises:
        ValueError: a date is not an ISO date.

    Example:
        >>> dataset = rdflib.Dataset()
        >>> dataset.addN((s, p, o, dataset.graph(g)) for s, p, o, g in extraction_quads(ex))
    """
    return [(URIRef(s), URIRef(p), _rdflib_term(o), URIRef(g))
            for s, p, o, g in plain_quads(extraction)]


def plain_quads(extraction: Extraction) -> list[PlainQuad]:
    """The quads of ``extraction_quads`` in plain values: IRIs as ``str``, literals as
    ``Lit``; what the store and the N-Quads writer use, several times faster to make.

    Example:
        >>> store.update("INSERT DATA { " + insert_data(plain_quads(ex)) + "}")
    """
    return _Mapper(extraction).map(extraction.records)


def _rdflib_term(term: str | Lit) -> Node:
    if isinstance(term, Lit):
        return Literal(term.lexical, datatype=term.datatype)
    return URIRef(term)


# N-Triples string escapes; other control characters become \\uXXXX
_ESCAPES = {0x5C: "\\\\", 0x22: '\\"', 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x08: "\\b",
            0x0C: "\\f"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ESCAPES})
_ESCAPES[0x7F] = "\\u007F"
_STRING = str(XSD.string)


def _term(term: Node | str | Lit) -> str:
    """One term in N-Triples syntax: a ``Lit``, an rdflib ``Literal``, else an IRI."""
    if isinstance(term, Lit):
        text = '"' + term.lexical.translate(_ESCAPES) + '"'
        if term.datatype is not None and term.datatype != _STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _STRING:
            return f"{text}^^<{term.datatype}>"
        return text
    return f"<{term}>"


def quads_to_nquads(quads: Iterable[Quad | PlainQuad]) -> Iterator[str]:
    """Yield one N-Quads line (with its newline) per quad, of rdflib terms or plain ones."""
    for s, p, o, g in quads:
        yield f"<{s}> <{p}> {_term(o)} <{g}> .\n"


def to_nquads(extraction: Extraction) -> str:
    """Return the quads of one extraction as N-Quads text, ready for a bulk load.

    Example:
        >>> shard.write(to_nquads(extraction))
    """
    return "".join(quads_to_nquads(plain_quads(extraction)))


def insert_data(quads: Iterable[Quad | PlainQuad]) -> str:
    """Return the body of a SPARQL ``INSERT DATA`` block that adds these quads."""
    by_graph: dict[str, list[str]] = {}
    for s, p, o, g in quads:
        by_graph.setdefault(str(g), []).append(f"<{s}> <{p}> {_term(o)} .\n")
    return "".join(f"GRAPH <{g}> {{\n{''.join(lines)}}}\n" for g, lines in by_graph.items())
