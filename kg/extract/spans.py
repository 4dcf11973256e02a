"""Span helpers, re-exported for the extractors: the helpers live in ``kg.spans`` so that
``kg.resolve`` can use them without importing the ``kg.extract`` package (which imports
``kg.resolve``)."""

from kg.spans import (doc_text, entity_of, inside_quotes, prime_text, sentence_number,
                      sentence_of, tokens)

__all__ = ["doc_text", "entity_of", "inside_quotes", "prime_text", "sentence_number",
           "sentence_of", "tokens"]
