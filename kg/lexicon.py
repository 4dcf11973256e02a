"""Load the lexicons and gazetteers in ``kg/data`` once, validated.

Every data file is UTF-8 TSV: ``#`` comment lines first (what it is, its columns, its
source), then a header row, then one record per line, ``|`` between list values, an empty
cell or ``-`` for none. A malformed line raises ``LexiconError("kg/data/FILE:LINE: ...")``.

Example:
    >>> lexicon = load_lexicon()
    >>> lexicon.verbs["offer"].predicate
    'offer'
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycountry

from kg.errors import LexiconError
from kg.records import POLARITIES, PREDICATES

logger = logging.getLogger(__name__)

# KG_DATA_DIR points at a folder of edited copies of the data files, to extend the lexicons
DATA_DIR = Path(os.environ.get("KG_DATA_DIR") or str(resources.files("kg") / "data"))


@dataclass(frozen=True, slots=True, kw_only=True)
class PredicateClass:
    """An event class and its properties (kg/data/predicates.tsv)."""

    predicate: str
    plover: str | None
    cameo: str  # CAMEO root, two digits
    sign: int  # +1 cooperative, -1 conflictual, 0 neither
    stance: str | None  # the agent's stance on what it acts on
    target_preps: tuple[str, ...]
    is_symmetric: bool
    label: str
    definition: str


@dataclass(frozen=True, slots=True, kw_only=True)
class VerbEntry:
    lemma: str
    predicate: str
    preps: tuple[str, ...]
    is_speech: bool
    cameo: str | None = None
    control: str | None = None  # "subject" or "object": who does a "to"-infinitive;
    # "actor": as "other", and an event only when that doer is an actor ("hopes Russia will
    # withdraw" asks Russia; "hopes the deal will help" asks no one)
    # "other": object control, and an event only when the clause names a doer of its own
    # ("wants NATO to halt" is a demand, "wants to join" an intention)


@dataclass(frozen=True, slots=True, kw_only=True)
class NounEntry:
    lemma: str
    predicate: str
    stance: str | None
    cameo: str | None = None
    preps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PhraseEntry:
    """A verb with an object noun that decides the event ("impose sanctions")."""

    verb: str
    noun: str
    predicate: str
    cameo: str | None
    stance: str | None  # the agent's stance on what the noun names


@dataclass(frozen=True, slots=True, kw_only=True)
class AdjectiveEntry:
    """A predicative adjective that states an event of its subject ("ready to talk")."""

    lemma: str
    predicate: str
    cameo: str | None
    preps: tuple[str, ...]
    control: str | None
    stance: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """A gazetteer entry: a country, an organisation or a treaty."""

    key: str  # "country:US", "org:nato", "treaty:abm-treaty"
    name: str
    type: str  # Country, Organization, Treaty
    iso2: str | None = None
    wikidata: str | None = None
    cameo: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()

    @property
    def same_as(self) -> tuple[str, ...]:
        return (f"http://www.wikidata.org/entity/{self.wikidata}",) if self.wikidata else ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Title:
    title: str
    canonical: str
    kind: str
    is_leader: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Issue:
    label: str
    patterns: tuple[str, ...]
    anaphors: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Lexicon:
    """Everything the extractors look up, loaded from kg/data."""

    predicates: dict[str, PredicateClass]
    verbs: dict[str, VerbEntry]
    nouns: dict[str, NounEntry]
    phrases: dict[tuple[str, str], PhraseEntry]
    adjectives: dict[str, AdjectiveEntry]
    light_verbs: frozenset[str]
    stance_verbs: dict[str, str]
    groups: dict[str, bool]  # lemma -> speaks for a government
    issues: tuple[Issue, ...]
    titles: dict[str, Title]
    places: dict[str, Place]  # key -> entry
    # surface form (lower-case) -> key, for names, aliases, capitals and demonyms
    names: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    evaluative: dict[str, str] = field(default_factory=dict)  # word -> polarity of calling so

    @functools.cached_property
    def signs(self) -> dict[str, int]:
        """Network signs of predicates: +1 cooperation, -1 conflict, 0 neither."""
        return {p: c.sign for p, c in self.predicates.items()}

    @functools.cached_property
    def stances(self) -> dict[str, str]:
        """predicate -> the stance it takes on what it acts on."""
        return {p: c.stance for p, c in self.predicates.items() if c.stance}

    @functools.cached_property
    def phrase_verbs(self) -> frozenset[str]:
        """First words of the verbs of verb + noun phrases ("carry" of "carry out")."""
        return frozenset(verb.split()[0] for verb, _ in self.phrases)

    @functools.cached_property
    def event_nouns(self) -> dict[str, NounEntry]:
        """Event nouns, and the gerunds of event verbs used as nouns ("Iran's stationing
        of missiles", "the shelling of the town"): what follows "of" is their object."""
        nouns: dict[str, NounEntry] = {}
        for verb in self.verbs.values():
            if " " in verb.lemma or verb.predicate == "say":
                continue
            for form in _gerunds(verb.lemma):
                nouns.setdefault(form, NounEntry(
                    lemma=form, predicate=verb.predicate, stance=None, cameo=verb.cameo,
                    preps=("of", *verb.preps)))
        return {**nouns, **self.nouns}

    def control_of(self, lemma: str, token: object = None) -> str | None:
        """Who does the "to"-infinitive after a verb or adjective: "subject", "object"."""
        entry = self.verbs.get(lemma)
        if entry is not None and entry.control:
            return "object" if entry.control in ("other", "actor") else entry.control
        adjective = self.adjectives.get(lemma)
        return adjective.control if adjective is not None else None

    @functools.cached_property
    def title_first_words(self) -> frozenset[str]:
        """First words of titles, so a title search can skip most tokens at once."""
        return frozenset(title.split()[0] for title in self.titles)

    @functools.cached_property
    def instrument_nouns(self) -> frozenset[str]:
        """Nouns through which their owner acts ("the U.S. plan would place missiles"):
        event nouns and issue anaphors."""
        return frozenset(self.nouns) | frozenset(a for i in self.issues for a in i.anaphors)

    @functools.cached_property
    def verb_first_words(self) -> frozenset[str]:
        """First words of verb entries ("pull" of "pull out")."""
        return frozenset(lemma.split()[0] for lemma in self.verbs)

    @functools.cached_property
    def speech_verbs(self) -> frozenset[str]:
        return frozenset(v.lemma for v in self.verbs.values() if v.is_speech)

    def stance_of(self, predicate: str) -> str | None:
        """The stance a predicate takes towards its object (predicate_stances.tsv)."""
        return self.stances.get(predicate)


def _gerunds(verb: str) -> tuple[str, ...]:
    """The -ing forms a verb may take ("station" -> "stationing", "seize" -> "seizing",
    "ship" -> "shipping"); a form that is no word is harmless, it never matches."""
    forms = [f"{verb}ing"]
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        forms.append(f"{verb[:-1]}ing")
    if len(verb) >= 3 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and \
            verb[-3] not in "aeiou":
        forms.append(f"{verb}{verb[-1]}ing")
    return tuple(forms)


def _rows(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) of a TSV data file, skipping comments and the header."""
    name = f"kg/data/{path.name}"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise LexiconError(f"{name}: missing") from None
    except UnicodeDecodeError as err:
        raise LexiconError(f"{name}: not UTF-8 ({err.reason})") from None
    seen_header = False
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not seen_header:
            seen_header = True
            continue
        cells = line.split("\t")
        if len(cells) < columns:
            cells += [""] * (columns - len(cells))
        if len(cells) > columns:
            raise LexiconError(f"{name}:{number}: {len(cells)} columns, expected {columns}")
        yield number, [c.strip() for c in cells]


def _split(cell: str) -> tuple[str, ...]:
    if cell in ("", "-"):
        return ()
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def _yes(cell: str, name: str, number: int) -> bool:
    if cell not in ("yes", "no"):
        raise LexiconError(f"kg/data/{name}:{number}: expected yes or no, got {cell!r}")
    return cell == "yes"


def _predicate(cell: str, name: str, number: int) -> str:
    if cell not in PREDICATES:
        raise LexiconError(f"kg/data/{name}:{number}: unknown predicate {cell!r}")
    return cell


def _stance(cell: str, name: str, number: int) -> str | None:
    if cell not in ("", "-", *POLARITIES):
        raise LexiconError(f"kg/data/{name}:{number}: unknown stance {cell!r}")
    return cell if cell in POLARITIES else None


_CAMEO = re.compile(r"^[0-9]{2,4}$")


def _cameo(cell: str, name: str, number: int) -> str | None:
    if cell in ("", "-"):
        return None
    if not _CAMEO.match(cell):
        raise LexiconError(f"kg/data/{name}:{number}: bad CAMEO code {cell!r}")
    return cell


def _control(cell: str, name: str, number: int) -> str | None:
    if cell not in ("", "-", "subject", "object", "other", "actor"):
        raise LexiconError(f"kg/data/{name}:{number}: control is subject, object, other, "
                           f"actor or -, got {cell!r}")
    return cell if cell in ("subject", "object", "other", "actor") else None


def _unique(table: dict, key: object, name: str, number: int) -> None:
    if key in table:
        raise LexiconError(f"kg/data/{name}:{number}: {key!r} is listed twice")


def load_predicates(path: Path) -> dict[str, PredicateClass]:
    """The event classes and their properties; exactly the records' PREDICATES."""
    classes: dict[str, PredicateClass] = {}
    for number, (predicate, plover, cameo, sign, stance, preps, symmetric, label,
                 definition) in _rows(path, 9):
        _unique(classes, predicate, path.name, number)
        if sign not in ("-1", "0", "1"):
            raise LexiconError(f"kg/data/{path.name}:{number}: sign {sign!r} is not -1, 0 or 1")
        if not re.fullmatch(r"[0-9]{2}", cameo):
            raise LexiconError(f"kg/data/{path.name}:{number}: bad CAMEO root {cameo!r}")
        classes[_predicate(predicate, path.name, number)] = PredicateClass(
            predicate=predicate, plover=None if plover in ("", "-") else plover, cameo=cameo,
            sign=int(sign), stance=_stance(stance, path.name, number),
            target_preps=_split(preps), is_symmetric=_yes(symmetric, path.name, number),
            label=label, definition=definition)
    missing = set(PREDICATES) - set(classes)
    if missing:
        raise LexiconError(f"kg/data/{path.name}: no row for {', '.join(sorted(missing))}")
    return classes


def load_verbs(path: Path) -> dict[str, VerbEntry]:
    verbs: dict[str, VerbEntry] = {}
    for number, (lemma, predicate, cameo, preps, speech, control) in _rows(path, 6):
        _unique(verbs, lemma.lower(), path.name, number)
        verbs[lemma.lower()] = VerbEntry(
            lemma=lemma.lower(), predicate=_predicate(predicate, path.name, number),
            cameo=_cameo(cameo, path.name, number), preps=_split(preps),
            is_speech=_yes(speech, path.name, number),
            control=_control(control, path.name, number))
    return verbs


def load_nouns(path: Path) -> dict[str, NounEntry]:
    nouns: dict[str, NounEntry] = {}
    for number, (lemma, predicate, cameo, stance, preps) in _rows(path, 5):
        _unique(nouns, lemma.lower(), path.name, number)
        nouns[lemma.lower()] = NounEntry(
            lemma=lemma.lower(), predicate=_predicate(predicate, path.name, number),
            cameo=_cameo(cameo, path.name, number), stance=_stance(stance, path.name, number),
            preps=_split(preps))
    return nouns


def load_phrases(path: Path) -> dict[tuple[str, str], PhraseEntry]:
    phrases: dict[tuple[str, str], PhraseEntry] = {}
    for number, (verb, noun, predicate, cameo, stance) in _rows(path, 5):
        key = (verb.lower(), noun.lower())
        _unique(phrases, key, path.name, number)
        phrases[key] = PhraseEntry(
            verb=key[0], noun=key[1], predicate=_predicate(predicate, path.name, number),
            cameo=_cameo(cameo, path.name, number), stance=_stance(stance, path.name, number))
    return phrases


def load_adjectives(path: Path) -> dict[str, AdjectiveEntry]:
    adjectives: dict[str, AdjectiveEntry] = {}
    for number, (lemma, predicate, cameo, preps, control, stance) in _rows(path, 6):
        _unique(adjectives, lemma.lower(), path.name, number)
        adjectives[lemma.lower()] = AdjectiveEntry(
            lemma=lemma.lower(), predicate=_predicate(predicate, path.name, number),
            cameo=_cameo(cameo, path.name, number), preps=_split(preps),
            control=_control(control, path.name, number),
            stance=_stance(stance, path.name, number))
    return adjectives


def load_word_stances(path: Path) -> dict[str, str]:
    verbs = {}
    for number, (lemma, stance) in _rows(path, 2):
        if stance not in POLARITIES:
            raise LexiconError(f"kg/data/{path.name}:{number}: unknown stance {stance!r}")
        verbs[lemma.lower()] = stance
    return verbs


def load_issues(path: Path) -> tuple[Issue, ...]:
    issues = []
    for number, (label, patterns, anaphors) in _rows(path, 3):
        if not label or not _split(patterns):
            raise LexiconError(f"kg/data/{path.name}:{number}: an issue needs a label and patterns")
        issues.append(Issue(label=label, patterns=tuple(p.lower() for p in _split(patterns)),
                            anaphors=tuple(a.lower() for a in _split(anaphors))))
    return tuple(issues)


def load_titles(path: Path) -> dict[str, Title]:
    titles = {}
    for number, (title, canonical, kind, leader) in _rows(path, 4):
        if not title:
            raise LexiconError(f"kg/data/{path.name}:{number}: empty title")
        titles[title.lower()] = Title(title=title.lower(), canonical=canonical or title.title(),
                                      kind=kind, is_leader=_yes(leader, path.name, number))
    return titles


_QID = re.compile(r"^Q[0-9]+$")


def _qid(cell: str, name: str, number: int) -> str | None:
    if not cell:
        return None
    if not _QID.match(cell):
        raise LexiconError(f"kg/data/{name}:{number}: bad Wikidata id {cell!r}")
    return cell


# codes in common use that ISO 3166-1 does not assign: Kosovo, and the withdrawn Soviet Union
_UNASSIGNED_CODES = frozenset({"XK", "SU"})


def load_countries(path: Path) -> Iterator[Place]:
    """Countries, their ISO codes checked against pycountry's copy of ISO 3166."""
    for number, (iso2, name, wikidata, cameo, aliases, demonyms, capitals) in _rows(path, 7):
        if not re.fullmatch(r"[A-Z]{2}", iso2) or not name or (
                iso2 not in _UNASSIGNED_CODES and pycountry.countries.get(alpha_2=iso2) is None):
            raise LexiconError(f"kg/data/{path.name}:{number}: bad country code {iso2!r}")
        yield Place(key=f"country:{iso2}", name=name, type="Country", iso2=iso2,
                    wikidata=_qid(wikidata, path.name, number), cameo=cameo or None,
                    aliases=_split(aliases), demonyms=_split(demonyms),
                    capitals=_split(capitals))


def load_organisations(path: Path) -> Iterator[Place]:
    for number, (name, kind, wikidata, cameo, aliases) in _rows(path, 5):
        if not name:
            raise LexiconError(f"kg/data/{path.name}:{number}: empty name")
        yield Place(key=f"org:{name.lower()}", name=name, type=kind or "Organization",
                    wikidata=_qid(wikidata, path.name, number), cameo=cameo or None,
                    aliases=_split(aliases))


def load_treaties(path: Path) -> Iterator[Place]:
    for number, (name, wikidata, aliases) in _rows(path, 3):
        if not name:
            raise LexiconError(f"kg/data/{path.name}:{number}: empty name")
        yield Place(key=f"treaty:{name.lower()}", name=name, type="Treaty",
                    wikidata=_qid(wikidata, path.name, number), aliases=_split(aliases))


@functools.cache
def load_lexicon(data_dir: Path = DATA_DIR) -> Lexicon:
    """Load and validate every data file; cached, so each process reads them once.

    Raises:
        LexiconError: a data file is missing or has a malformed line.
    """
    places: dict[str, Place] = {}
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    entries = [*load_countries(data_dir / "countries.tsv"),
               *load_organisations(data_dir / "organisations.tsv"),
               *load_treaties(data_dir / "treaties.tsv")]
    for place in entries:
        places[place.key] = place
        for surface in (place.name, *place.aliases):
            names.setdefault(surface.lower(), place.key)
        for surface in place.demonyms:
            demonyms.setdefault(surface.lower(), place.key)
        for surface in place.capitals:
            capitals.setdefault(surface.lower(), place.key)
    return Lexicon(
        predicates=load_predicates(data_dir / "predicates.tsv"),
        verbs=load_verbs(data_dir / "verbs.tsv"),
        nouns=load_nouns(data_dir / "event_nouns.tsv"),
        phrases=load_phrases(data_dir / "phrases.tsv"),
        adjectives=load_adjectives(data_dir / "adjectives.tsv"),
        light_verbs=frozenset(row[1][0].lower() for row in _rows(data_dir / "light_verbs.tsv", 1)),
        stance_verbs=load_word_stances(data_dir / "stance_verbs.tsv"),
        evaluative=load_word_stances(data_dir / "evaluative.tsv"),
        groups={lemma.lower(): _yes(gov, "groups.tsv", n)
                for n, (lemma, gov) in _rows(data_dir / "groups.tsv", 2)},
        issues=load_issues(data_dir / "issues.tsv"),
        titles=load_titles(data_dir / "titles.tsv"),
        places=places, names=names, demonyms=demonyms, capitals=capitals,
    )
