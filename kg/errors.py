"""Errors raised by kg.

Library code raises these and never prints or exits; ``kg.cli`` turns them into one
line on stderr and exit status 1. Messages name the file (and line) and the problem,
lower-case, with no trailing period.

    KgError
    ├── InputError      an article or input file cannot be read or parsed
    ├── LexiconError    a data file under kg/data is malformed
    ├── ConfigError     a setting (model name, option value) is unusable
    ├── StoreError      the store cannot be opened, read or written
    └── QueryError      a SPARQL query is malformed, refused or timed out
"""


class KgError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KgError):
    """An input file or article cannot be read or parsed."""


class LexiconError(KgError):
    """A lexicon or gazetteer data file is malformed."""


class ConfigError(KgError):
    """A configuration value is unusable."""


class StoreError(KgError):
    """The store cannot be opened, read or written."""


class QueryError(KgError):
    """A SPARQL query is malformed, refused or timed out."""
