"""Export the knowledge graph: RDF serialisations, networks for Gephi, and tables.

One registry, ``EXPORTERS``, names every format: its writer, its media type, and whether it
takes a network view (``--view``) and a time window (``--from/--to/--window``). The CLI's
``kg export``, ``export()`` here and the README's table of formats all read it. Every
writer has one signature, ``(source, out, *, view="actors") -> None``; the built-in ones
live in three modules and are imported on first use, as an entry point names its object:

    kg.export.rdf       turtle, trig, nquads, ntriples, jsonld: the RDF itself, every quad
    kg.export.networks  graphml, gexf: a view of the graph (``VIEWS``) through networkx
    kg.export.tabular   csv (a view's edge list), events and statements tables (CSV or JSONL)

``kg.export.source`` holds the SELECTs they share and ``kg.export.windows`` the time
windows (``Period``). The source is anything with ``select`` and ``serialize``
(``GraphSource``): the store, or in tests an in-memory dataset.

Example:
    >>> with open("actors.gexf", "wb") as out:
    ...     export(store, "gexf", out, view="actors")
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any, BinaryIO, Protocol

from kg.errors import ConfigError
from kg.export.source import GraphSource

__all__ = [
    "EVENT_COLUMNS",
    "EXPORTERS",
    "FAMILIES",
    "RDF_FORMATS",
    "STATEMENT_COLUMNS",
    "VIEWS",
    "ExportFormat",
    "Exporter",
    "GraphSource",
    "Period",
    "event_rows",
    "export",
    "gexf_tree",
    "network",
    "predicate_signs",
    "register_exporter",
    "register_view",
    "spreadsheet_safe",
    "statement_rows",
    "windowed",
    "write_csv",
    "write_csv_dir",
    "write_csv_nodes",
    "write_gexf",
    "write_graphml",
]


class Exporter(Protocol):
    def __call__(self, source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None: ...


# what a family of formats is called in help texts
FAMILIES = {"rdf": "RDF", "network": "networks", "table": "tables"}


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ExportFormat:
    """One export format: its writer and how ``kg export`` offers it.

    Calling it writes, so ``EXPORTERS[name](source, out, view=...)`` exports.

    Attributes:
        name: The ``--format`` value.
        writer: The writer, or where it lives as ``"module:function"``, imported on first use.
        media_type: What the output is (GraphML and GEXF have no IANA-registered type; theirs
            are the ones in common use, as JSON Lines' is).
        family: ``rdf``, ``network`` or ``table`` (a key of FAMILIES).
        takes_view: Writes one network view (``--view``).
        takes_period: Keeps only the records dated inside a time window.
        summary: What it writes, in a few words.
    """

    name: str
    writer: Exporter | str
    media_type: str
    family: str
    takes_view: bool
    takes_period: bool
    summary: str

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"export format {self.name}: unknown family {self.family!r}")

    def load(self) -> Exporter:
        """The writer, imported if it is named by ``"module:function"``."""
        if not isinstance(self.writer, str):
            return self.writer
        module, _, function = self.writer.partition(":")
        writer: Exporter = getattr(importlib.import_module(module), function)
        return writer

    def __call__(self, source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
        self.load()(source, out, view=view)


def _rdf(name: str, media_type: str, summary: str) -> ExportFormat:
    return ExportFormat(name=name, writer=f"kg.export.rdf:write_{name}", media_type=media_type,
                        family="rdf", takes_view=False, takes_period=False, summary=summary)


def _network(name: str, writer: str, media_type: str, summary: str) -> ExportFormat:
    return ExportFormat(name=name, writer=writer, media_type=media_type, family="network",
                        takes_view=True, takes_period=True, summary=summary)


def _table(name: str, media_type: str, summary: str) -> ExportFormat:
    return ExportFormat(name=name, writer=f"kg.export.tabular:write_{name.replace('-', '_')}",
                        media_type=media_type, family="table", takes_view=False,
                        takes_period=True, summary=summary)


EXPORTERS: dict[str, ExportFormat] = {fmt.name: fmt for fmt in (
    _rdf("turtle", "text/turtle", "every graph merged into one"),
    _rdf("trig", "application/trig", "one named graph per article"),
    _rdf("nquads", "application/n-quads", "one named graph per article, a quad a line"),
    _rdf("ntriples", "application/n-triples", "every graph merged, a triple a line"),
    _rdf("jsonld", "application/ld+json", "one named graph per article, JSON-LD"),
    _network("graphml", "kg.export.networks:write_graphml", "application/graphml+xml",
             "a network view for Gephi, yEd, networkx"),
    _network("gexf", "kg.export.networks:write_gexf", "application/gexf+xml",
             "a network view for Gephi, dynamic (dates on nodes and edges)"),
    _network("csv", "kg.export.tabular:write_csv", "text/csv",
             "a network view's edges, one row each"),
    _table("events", "text/csv", "one row per event, PLOVER/CAMEO codes"),
    _table("events-jsonl", "application/jsonl", "the event table as JSON Lines"),
    _table("statements", "text/csv", "one row per position, for DNA/rDNA"),
    _table("statements-jsonl", "application/jsonl", "the statement table as JSON Lines"),
)}
RDF_FORMATS = tuple(name for name, fmt in EXPORTERS.items() if fmt.family == "rdf")

# names kept here for callers of kg.export; they load their module on first use
_LAZY = {
    **dict.fromkeys(("VIEWS", "network", "predicate_signs", "register_view", "gexf_tree",
                     "write_gexf", "write_graphml"), "kg.export.networks"),
    **dict.fromkeys(("EVENT_COLUMNS", "STATEMENT_COLUMNS", "event_rows", "statement_rows",
                     "spreadsheet_safe", "write_csv", "write_csv_dir", "write_csv_nodes"),
                    "kg.export.tabular"),
    **dict.fromkeys(("Period", "windowed"), "kg.export.windows"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg.export' has no attribute {name!r}")


def register_exporter(name: str, *, media_type: str, family: str = "table",
                      takes_view: bool = False, takes_period: bool = False,
                      summary: str = "") -> Callable[[Exporter], Exporter]:
    """Register a writer under a format name (a decorator), beside the built-in formats.

    Example:
        >>> @register_exporter("pajek", media_type="text/plain", family="network",
        ...                    takes_view=True, takes_period=True)
        ... def write_pajek(source, out, *, view="actors"): ...
    """

    def register(exporter: Exporter) -> Exporter:
        EXPORTERS[name] = ExportFormat(
            name=name, writer=exporter, media_type=media_type, family=family,
            takes_view=takes_view, takes_period=takes_period,
            summary=summary or (exporter.__doc__ or "").strip().split("\n")[0])
        return exporter

    return register


def export(source: GraphSource, fmt: str, out: BinaryIO, *, view: str = "actors",
           period: Any = None) -> None:
    """Write the graph in ``source`` to ``out`` as ``fmt``.

    Args:
        source: the store (anything with ``select`` and ``serialize``).
        fmt: a name in EXPORTERS: an RDF format, "graphml", "gexf", "csv", "events",
            "statements" (and their "-jsonl" forms).
        out: a binary stream.
        view: for network formats, a name in VIEWS; RDF formats export every quad.
        period: a ``kg.export.Period``: network and table formats keep only the records
            dated inside it.

    Raises:
        ConfigError: unknown format or view, or a period given for an RDF format.

    Example:
        >>> export(store, "graphml", sys.stdout.buffer, view="positions")
    """
    if fmt not in EXPORTERS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    from kg.export.networks import check_view
    from kg.export.windows import windowed

    check_view(view)
    exporter = EXPORTERS[fmt]
    if period is not None and not period.is_open and not exporter.takes_period:
        raise ConfigError(f"--from/--to/--window apply to network and table formats, not {fmt}")
    exporter(windowed(source, period), out, view=view)
