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
class VerbEntry:
    lemma: str
    predicate: str
    preps: tuple[str, ...]
    is_speech: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class NounEntry:
    lemma: str
    predicate: str
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

    verbs: dict[str, VerbEntry]
    nouns: dict[str, NounEntry]
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
    signs: dict[str, int] = field(default_factory=dict)
    stances: dict[str, str] = field(default_factory=dict)  # predicate -> stance on its object
    evaluative: dict[str, str] = field(default_factory=dict)  # word -> polarity of calling so

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


def load_verbs(path: Path) -> dict[str, VerbEntry]:
    verbs: dict[str, VerbEntry] = {}
    for number, (lemma, predicate, preps, speech) in _rows(path, 4):
        if lemma.lower() in verbs:
            raise LexiconError(f"kg/data/{path.name}:{number}: {lemma!r} is listed twice")
        verbs[lemma.lower()] = VerbEntry(
            lemma=lemma.lower(), predicate=_predicate(predicate, path.name, number),
            preps=_split(preps), is_speech=_yes(speech, path.name, number))
    return verbs


def load_nouns(path: Path) -> dict[str, NounEntry]:
    nouns = {}
    for number, (lemma, predicate, stance) in _rows(path, 3):
        if stance not in ("-", *POLARITIES):
            raise LexiconError(f"kg/data/{path.name}:{number}: unknown stance {stance!r}")
        nouns[lemma.lower()] = NounEntry(lemma=lemma.lower(),
                                         predicate=_predicate(predicate, path.name, number),
                                         stance=None if stance == "-" else stance)
    return nouns


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


def load_signs(path: Path) -> dict[str, int]:
    """Network signs of predicates: +1 cooperation, -1 conflict, 0 neither."""
    signs = {}
    for number, (predicate, sign) in _rows(path, 2):
        if sign not in ("-1", "0", "1"):
            raise LexiconError(f"kg/data/{path.name}:{number}: sign {sign!r} is not -1, 0 or 1")
        signs[_predicate(predicate, path.name, number)] = int(sign)
    return signs


def load_predicate_stances(path: Path) -> dict[str, str]:
    stances = {}
    for number, (predicate, stance) in _rows(path, 2):
        if stance not in ("-", *POLARITIES):
            raise LexiconError(f"kg/data/{path.name}:{number}: unknown stance {stance!r}")
        if stance != "-":
            stances[_predicate(predicate, path.name, number)] = stance
    return stances


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
        verbs=load_verbs(data_dir / "verbs.tsv"),
        nouns=load_nouns(data_dir / "event_nouns.tsv"),
        light_verbs=frozenset(row[1][0].lower() for row in _rows(data_dir / "light_verbs.tsv", 1)),
        stance_verbs=load_word_stances(data_dir / "stance_verbs.tsv"),
        evaluative=load_word_stances(data_dir / "evaluative.tsv"),
        groups={lemma.lower(): _yes(gov, "groups.tsv", n)
                for n, (lemma, gov) in _rows(data_dir / "groups.tsv", 2)},
        issues=load_issues(data_dir / "issues.tsv"),
        titles=load_titles(data_dir / "titles.tsv"),
        places=places, names=names, demonyms=demonyms, capitals=capitals,
        signs=load_signs(data_dir / "predicate_signs.tsv"),
        stances=load_predicate_stances(data_dir / "predicate_stances.tsv"),
    )
