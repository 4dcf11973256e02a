"""The headline as the first sentence of the text to parse.

Ingest reads the headline into ``Document.title`` and blanks it, so that it is not taken
for body text; but a headline is often the one place a fact is stated whole ("Blair
congratulates Bush on win"). ``parse_text`` puts it back where it stands in the file, so
its offsets are the file's, and writes a headline in capitals ("REAGAN DEFENDS
IRAN-DEAL") or in headline case ("World Powers Reach Nuclear Deal") in the case its words
have in the body, since the tagger reads capitals as names.
"""

from __future__ import annotations

import re
from collections import Counter

from kg.records import Document

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


def parse_text(document: Document) -> str:
    r"""The document's text with its headline restored, or its text when there is none.

    Example:
        >>> parse_text(Document(id="a", text=" " * 11 + "\n\nBody.", title="HELLO WORLD",
        ...                     title_start=0))[:11]
        'Hello world'
    """
    key = id(document)
    found = _PARSED.get(key)
    if found is not None and found[0] is document:
        return found[1]
    text = _restored(document, cased=True)
    if len(_PARSED) >= 256:  # a chunk's worth: parsed, then extracted
        _PARSED.pop(next(iter(_PARSED)))
    _PARSED[key] = (document, text)
    return text


# the text of the documents parsed last: a chunk is parsed first, then each of its documents
# extracted, and both want the same text (truecasing a headline is not free)
_PARSED: dict[int, tuple[Document, str]] = {}


def shown_text(document: Document) -> str:
    """The text evidence is quoted from: the file's, headline included as written."""
    return _restored(document, cased=False)


def _restored(document: Document, *, cased: bool) -> str:
    title, start = document.title, document.title_start
    text = document.text
    if not title or start is None:
        return text
    end = start + len(title)
    if end > len(text) or text[start:end].strip():
        return text  # not where ingest left a blank for it
    if cased and _is_shouting(title):
        title = truecase(title, text)
    return text[:start] + title + text[end:]


def _is_shouting(title: str) -> bool:
    """Capitals ("REAGAN DEFENDS IRAN-DEAL") or headline case ("Iran and World Powers
    Reach Nuclear Deal"): the case of the words says nothing of what they are."""
    letters = [c for c in title if c.isalpha()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return True
    words = [w for w in _WORD.findall(title) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def truecase(line: str, body: str) -> str:
    """``line`` with each word in the case it most often has in ``body``; a word the body
    does not have in lower case; the first word capitalised.

    Example:
        >>> truecase("NORWAY APPROVES TRADE BAN", "Norway said the trade ban would pass.")
        'Norway approves trade ban'
    """
    forms: dict[str, Counter[str]] = {}
    for match in _WORD.finditer(body):
        word = match.group()
        # a capital at the start of a sentence says nothing of the word's own case
        before = body[:match.start()].rstrip()
        if word[:1].isupper() and not word.isupper() and (not before or before[-1] in '.!?"“'):
            continue
        forms.setdefault(word.lower(), Counter())[word] += 1

    def case(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) == 1 and line[match.end():match.end() + 1] == ".":
            return word  # an initial or an abbreviation: "U.S.", "George W. Bush"
        seen = forms.get(word.lower())
        return seen.most_common(1)[0][0] if seen else word.lower()

    cased = _WORD.sub(case, line)
    return cased[:1].upper() + cased[1:]
