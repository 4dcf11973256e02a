"""kg: a knowledge graph of political actors and their positions, built from news text.

The public API, stage by stage (README.md, "Python"): ``extract`` records from articles,
``build`` a store from them (``open_store``), ``query`` it and ``export`` it; the steps in
between are public too (``read_documents``, ``extract_documents``, ``run_query`` ...).
Heavy stages (spaCy, rdflib) load on first use, so ``import kg`` stays cheap.

``kg.build``, ``kg.extract``, ``kg.query``, ``kg.export`` and ``kg.serve`` are functions,
although modules of those names exist (``from kg.export import network`` still works).

Example:
    >>> import kg
    >>> with kg.open_store("kg-store") as store:
    ...     print(kg.build(["examples"], store))
    ...     print(kg.format_result(kg.query(store, "positions-over-time"), "table"))
"""

from __future__ import annotations

import importlib
import sys
import types
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

# public name -> (module, name there), imported on first use
_LAZY: dict[str, str | tuple[str, str]] = {
    "extract": "kg.pipeline",
    "query": ("kg.query", "run_query"),
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
    "Period": "kg.export.windows",
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
    "extract",
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
    "query",
    "read_documents",
    "resolve_corpus",
    "run_query",
    "serve",
    "validate_store",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        where = _LAZY[name]
        module, attribute = where if isinstance(where, tuple) else (where, name)
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


# public functions named like a submodule: kg/export/, kg/serve.py, kg/query.py, kg/extract/
_FUNCTIONS = frozenset(name for name in ("build", "export", "extract", "query", "serve")
                       if name in _LAZY)


class _Package(types.ModuleType):
    """The ``kg`` package, whose public functions keep their names when a submodule of the
    same name is imported.

    Once ``kg.export`` (the module) has loaded, the import system binds it as the
    attribute ``export`` of the package, which would hide ``kg.export()`` (the function)
    from then on. That one binding is skipped: the module stays importable and in
    ``sys.modules`` (``from kg.export import network``, ``import kg.export``), and
    ``kg.export`` stays the function.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FUNCTIONS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
