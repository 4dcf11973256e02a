"""The RDF itself: every quad, serialised by the source (the store), so no rdflib here.

Turtle and N-Triples merge every named graph into one; TriG, N-Quads and JSON-LD keep one
named graph per article. Views and time windows do not apply.
"""

from __future__ import annotations

from typing import BinaryIO

from kg.export.source import GraphSource


def _rdf_writer(fmt: str):
    def write_rdf(source: GraphSource, out: BinaryIO, *, view: str = "actors") -> None:
        source.serialize(fmt, out)

    write_rdf.__doc__ = f"Write every quad as {fmt} (the view does not apply)."
    write_rdf.__name__ = f"write_{fmt}"
    return write_rdf


write_turtle = _rdf_writer("turtle")
write_trig = _rdf_writer("trig")
write_nquads = _rdf_writer("nquads")
write_ntriples = _rdf_writer("ntriples")
write_jsonld = _rdf_writer("jsonld")
