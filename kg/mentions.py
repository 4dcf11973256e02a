"""Mentions and title matches: what ``kg.extract.actors`` finds in a Doc and ``kg.resolve``
turns into actors.

They live outside the ``kg.extract`` package so that the package (whose extractors need
``kg.resolve.Cast``) and ``kg.resolve`` (which needs these types) do not import each other.
Both hold token indices into one Doc and live only while it is being extracted.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.lexicon import Title

__all__ = ["NAME_AFFIXES", "Mention", "TitleMatch"]

# Honorifics and generational suffixes are not part of a person's canonical name.
NAME_AFFIXES = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "jr",
                          "jr.", "sr", "sr.", "'s", "’s"})


@dataclass(slots=True)
class Mention:
    """A token span that refers to an actor."""

    start: int  # token index
    end: int  # token index, exclusive
    kind: str  # person, place, org, group, office, description, government, pronoun
    text: str
    key: str | None = None  # gazetteer key ("country:RU"), or a group/org key
    title: Title | None = None  # for offices and descriptions: the title they name

    @property
    def head(self) -> int:
        return self.end - 1


@dataclass(slots=True)
class TitleMatch:
    """A title ("Foreign Minister", "Mr.") found in the text, as a token span."""

    start: int
    end: int
    title: Title


