"""kg: a knowledge graph of political actors and their positions, built from news text.

The public API, stage by stage (DESIGN.md): read articles (``read_documents``), extract
records (``extract_documents``), store them as RDF (``open_store``, ``build``), query
(``run_query``) and export (``export``). Heavy stages (spaCy, rdflib) load on first use,
so ``import kg`` stays cheap.

Example:
    >>> import kg
    >>> with kg.open_store("kg-store") as store:
    ...     print(kg.build(["examples"], store))
"""

from __future__ import annotations

import importlib
from typing import Any

from kg.errors import ConfigError, InputError, KgError, LexiconError, QueryError, StoreError
from kg.records import (
    Actor,
    Document,
    EntityRef,
    Evidence,
    Extraction,
    Position,
    Quote,
    Relation,
    Role,
)

__version__ = "0.1.0"

_LAZY = {
    "read_documents": "kg.ingest",
    "parse_article": "kg.ingest",
    "load_pipeline": "kg.nlp",
    "load_lexicon": "kg.lexicon",
    "extract_records": "kg.extract",
    "extract_documents": "kg.pipeline",
    "build": "kg.pipeline",
    "BuildSummary": "kg.pipeline",
    "resolve_corpus": "kg.resolve",
    "extraction_quads": "kg.rdf",
    "open_store": "kg.store",
    "Store": "kg.store",
    "run_query": "kg.query",
    "format_result": "kg.query",
    "list_queries": "kg.query",
    "export": "kg.export",
    "network": "kg.export",
    "Period": "kg.tables",
    "validate_store": "kg.validate",
    "serve": "kg.serve",
    "create_app": "kg.serve",
}

__all__ = [
    "Actor",
    "BuildSummary",
    "ConfigError",
    "Document",
    "EntityRef",
    "Evidence",
    "Extraction",
    "InputError",
    "KgError",
    "LexiconError",
    "Period",
    "Position",
    "QueryError",
    "Quote",
    "Relation",
    "Role",
    "Store",
    "StoreError",
    "build",
    "create_app",
    "export",
    "extract_documents",
    "extract_records",
    "extraction_quads",
    "format_result",
    "list_queries",
    "load_lexicon",
    "load_pipeline",
    "network",
    "open_store",
    "parse_article",
    "read_documents",
    "resolve_corpus",
    "run_query",
    "serve",
    "validate_store",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
