"""Find direct quotations and who said them.

Quotation marks are paired in the text itself, not in the parse, following newspaper
conventions: a paragraph that ends inside a quotation continues it when the next paragraph
opens with a quotation mark; text copied without its paragraph breaks keeps the reopening
mark inside one paragraph ('... unacceptable. "The rule of law ...'), which starts a new
segment of the same quotation. Quoted names and terms ('dubbed "Gucci Grace"', 'NBC's
"Meet the Press"', 'the US-led "war on terror"') are not speech and get no speaker.

The speaker is, in order of preference:
- the speaker of a speech verb outside the quotation in its sentence, before, after or
  inverted ('"...," he said', '"...," said Mr. Putin', 'Bush said that "..."', 'X said:',
  'In a statement, the ministry said:'), or of "according to X";
- for a partial quotation, the subject of the clause it sits in ('Bush described himself as
  "..."'), or of a relative clause around it ('the generals, who moved against "criminals"');
- the speaker carried on: a segment continuing a quotation, a quoted sentence after someone's
  words in the same paragraph, and a paragraph opening with an unattributed quotation, which
  continues the previous paragraph's speaker.
Subjects the resolver left without an actor are resolved here: a pronoun is the nearest
speaker before it, "the archbishop" the person the text gave that title, "a spokesman for X"
and "a UK official" speak for X, an unnamed "official" or "source" becomes an actor called
what the text calls it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from kg.errors import LexiconError
from kg.extract.frames import Frame
from kg.extract.spans import doc_text, sentence_of
from kg.lexicon import DATA_DIR, Lexicon, _rows
from kg.resolve import Cast

# ranks that, unqualified, speak for the one armed force an article is about
MILITARY_RANKS = frozenset({"general", "commander", "officer", "soldier", "troop"})
OPENERS = "\"“«„"
CLOSERS = "\"”»“"
_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = ".?!"
_CUE_KINDS = ("speech", "speaker", "medium", "naming")

RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
SINGULAR_PRONOUNS = frozenset({"he", "she"})
PLURAL_PRONOUNS = frozenset({"they"})
# "one of the officials", "some officials": the speaker is the group named after "of"
QUANTIFIERS = frozenset({"one", "some", "many", "several", "most", "few", "two", "three",
                         "both", "each", "all", "none"})
# a passive speech verb says something about its subject ("X is said to be ready"), except
# the verbs that report the subject's own words ("he was quoted as saying")
PASSIVE_SPEECH = frozenset({"quote", "cite"})
# small words a title or name leaves lower-case ("Meet the Press", "Voice of America")
TITLE_SMALL_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "for", "to", "at",
                               "by", "with", "de", "la", "le", "von", "van", "or"})
# what a relative clause does to its antecedent that is not the antecedent speaking
_STATIVE = frozenset({"be", "have", "seem", "become", "remain", "look", "show"})
_PARENT_DEPS = ("conj", "advcl", "xcomp", "ccomp", "acl")


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteCues:
    """Words that attribute quotations, from kg/data/quote_cues.tsv."""

    speech: frozenset[str]
    speakers: frozenset[str]
    media: frozenset[str]
    naming: frozenset[str]


@functools.cache
def load_quote_cues(path: Path = DATA_DIR / "quote_cues.tsv") -> QuoteCues:
    """Load the quote cue words once, validated.

    Raises:
        LexiconError: a line with an unknown kind.

    Example:
        >>> "spokesman" in load_quote_cues().speakers
        True
    """
    kinds: dict[str, set[str]] = {kind: set() for kind in _CUE_KINDS}
    for number, (word, kind) in _rows(path, 2):
        if kind not in kinds or not word:
            raise LexiconError(f"kg/data/{path.name}:{number}: unknown cue kind {kind!r}")
        kinds[kind].add(word.lower())
    return QuoteCues(speech=frozenset(kinds["speech"]), speakers=frozenset(kinds["speaker"]),
                     media=frozenset(kinds["medium"]), naming=frozenset(kinds["naming"]))


@dataclass(slots=True)
class QuoteSpan:
    start: int  # character offsets of the quoted text, without the marks
    end: int
    continues: bool = False  # continues the previous quotation (paragraph or reopening)
    speaker: str | None = None


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quoted passages, paired per paragraph, with multi-paragraph continuation.

    Example:
        >>> [text[s.start:s.end] for s in find_quote_spans(text := '"Yes," he said.')]
        ['Yes']
    """
    spans: list[QuoteSpan] = []
    breaks = [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]
    para_start = 0
    carried = False

    def add(start: int, end: int, continues: bool, commas: bool = True) -> None:
        while end > start and (text[end - 1].isspace() or (commas and text[end - 1] == ",")):
            end -= 1  # '"We are ready," he said': the comma is the sentence's
        if text[start:end].strip():
            spans.append(QuoteSpan(start=start, end=end, continues=continues))

    for para_end in breaks:
        open_at: int | None = None
        continues = False
        for i in range(para_start, para_end):
            ch = text[i]
            if open_at is None and ch in OPENERS and _can_open(text, i):
                open_at = i + 1
                continues = carried and not spans_in(spans, para_start, i)
            elif open_at is not None and _reopens(text, i, open_at):
                # the previous segment was left open, as at a paragraph's end
                add(open_at, i, continues)
                open_at, continues = i + 1, True
            elif open_at is not None and ch in CLOSERS and _can_close(text, i):
                add(open_at, i, continues)
                open_at = None
                continues = False
        carried = False
        if open_at is not None:
            add(open_at, para_end, continues, commas=False)
            carried = True
        para_start = para_end
    return spans


def spans_in(spans: list[QuoteSpan], start: int, end: int) -> bool:
    return any(start <= s.start < end for s in spans)


def _can_open(text: str, i: int) -> bool:
    if text[i] in "“«„":
        return True
    before = text[i - 1] if i > 0 else " "
    return before.isspace() or before in "([—-:,;"


def _can_close(text: str, i: int) -> bool:
    if text[i] in "”»":
        return True
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalnum()


def _reopens(text: str, i: int, open_at: int) -> bool:
    """A mark that opens a new quoted sentence inside an open quotation: after a sentence's
    end and a space, before a word ('...unacceptable. "The rule...')."""
    if text[i] not in "\"“" or i + 1 >= len(text) or not text[i + 1].isalnum():
        return False
    j = i - 1
    if j < open_at or not text[j].isspace():
        return False
    while j >= open_at and text[j].isspace():
        j -= 1
    return j >= open_at and text[j] in _SENTENCE_END


def attribute_quotes(doc: Doc, spans: list[QuoteSpan], cast: Cast, lexicon: Lexicon,
                     frames: Iterable[Frame] = ()) -> None:
    """Set each span's speaker (a cast key) where one can be found.

    Speakers the cast did not know yet (unnamed officials, a capital speaking for its state)
    are added to it, with one mention per attributing phrase.

    Args:
        frames: the sentence frames (``kg.extract.frames.build_frames``): a speech verb's
            speaker is its frame's agent, found once for every extractor.
    """
    _Attribution(doc, spans, cast, lexicon, {f.trigger: f for f in frames}).run()


@dataclass(slots=True)
class _Candidate:
    """A speaker found for a subject phrase, not yet added to the cast."""

    key: str
    label: str = ""
    type: str = ""
    place: str | None = None  # a gazetteer key: the member comes from the gazetteer
    alias: str = ""
    token: int = 0


@dataclass(slots=True)
class _Said:
    """Someone speaking at a token: a speech verb's speaker or a quotation's."""

    position: int
    candidate: _Candidate
    number: str  # "singular" (he/she), "plural" (they) or "" (by the speaker's type)

    @property
    def key(self) -> str:
        return self.candidate.key


@dataclass(slots=True)
class _Attribution:
    doc: Doc
    spans: list[QuoteSpan]
    cast: Cast
    lexicon: Lexicon
    frames: dict[int, Frame] = field(default_factory=dict)
    cues: QuoteCues = field(init=False)
    speech: frozenset[str] = field(init=False)
    text: str = field(init=False)
    quoted: list[bool] = field(init=False)
    paragraphs: list[int] = field(init=False)
    pending: dict[str, _Candidate] = field(default_factory=dict)
    phrases: dict[str, set[int]] = field(default_factory=dict)  # key -> naming tokens
    said: list[_Said] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cues = load_quote_cues()
        self.speech = self.lexicon.speech_verbs | self.cues.speech
        self.text = doc_text(self.doc)
        self.paragraphs = [m.end() for m in _PARAGRAPH.finditer(self.text)]
        self.quoted = [False] * len(self.doc)
        starts = [t.idx for t in self.doc]
        for span in self.spans:
            for i in range(bisect.bisect_left(starts, span.start),
                           bisect.bisect_left(starts, span.end)):
                self.quoted[i] = True

    def run(self) -> None:
        self._collect_speech()
        names = set()
        for span in self.spans:
            quoted = self.doc.char_span(span.start, span.end, alignment_mode="expand")
            if quoted is None:
                continue
            if self._is_name(span, quoted):
                names.add(id(span))
                continue
            span.speaker = self._direct(span, quoted)
            self._note_quote(span, quoted)
        # a quotation running over paragraphs is often attributed only in its last paragraph
        for earlier, later in zip(reversed(self.spans[:-1]), reversed(self.spans[1:])):
            if later.continues and later.speaker and earlier.speaker is None:
                earlier.speaker = later.speaker
        for n, span in enumerate(self.spans):
            if span.speaker is None and id(span) not in names:
                span.speaker = self._carried(span, self.spans[n - 1] if n else None)
                quoted = self.doc.char_span(span.start, span.end, alignment_mode="expand")
                if quoted is not None:
                    self._note_quote(span, quoted)
        for key in {span.speaker for span in self.spans if span.speaker in self.pending}:
            self._admit(self.pending[key])

    # -- where speech happens -----------------------------------------------------------

    def _collect_speech(self) -> None:
        """Note every speech verb outside quotations whose speaker is plain (not a
        pronoun), so a later "he said" or unattributed paragraph can find it."""
        for token in self.doc:
            if self.quoted[token.i] or not self._is_speech(token) or any(
                    self._is_speech(a) for a in token.ancestors):
                continue  # what someone says another said is not where the talk is
            subject = self._subject(token)
            if subject is None or subject.lower_ in SINGULAR_PRONOUNS | PLURAL_PRONOUNS:
                continue
            found = self._speaker_of(subject)
            if found:
                self._note(_Said(position=token.i, candidate=found, number=_number(subject)))

    def _note_quote(self, span: QuoteSpan, quoted: Span) -> None:
        if span.speaker:
            self._note(_Said(position=quoted.end - 1, candidate=_Candidate(key=span.speaker),
                             number=""))

    def _note(self, said: _Said) -> None:
        positions = [s.position for s in self.said]
        self.said.insert(bisect.bisect_right(positions, said.position), said)

    def _is_speech(self, token: Token) -> bool:
        return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.speech

    # -- direct attribution -------------------------------------------------------------

    def _direct(self, span: QuoteSpan, quoted: Span) -> str | None:
        sentences = self._sentences_around(quoted)
        if self._is_sentence(quoted, sentences):
            key = self._speech_speaker(sentences, quoted)
            if key is None and not _fills(quoted, sentences):
                key = self._clause_speaker(quoted)  # 'Getty agreed, "Things are moving."'
            return key or self._colon_lead(quoted)
        # a phrase quoted inside a sentence is its governing speech verb's speaker's, else
        # its clause subject's ('Bush called the offer "interesting"'), else the sentence's
        # speaker's; and a term quoted in a relative clause is its antecedent's own word
        key = (self._speech_speaker(sentences, quoted, governing=True)
               or self._clause_speaker(quoted)
               or self._speech_speaker(sentences, quoted)
               or self._colon_lead(quoted))
        if key is not None:
            key = self._relative_speaker(quoted) or key
        return key

    def _sentences_around(self, quoted: Span) -> list[Span]:
        """The sentences a quotation touches, plus a short attribution sentence right after
        it (the parser often splits '"...," he said.' after the closing mark)."""
        doc = self.doc
        ends = (sentence_of(doc[quoted.start]), sentence_of(doc[quoted.end - 1]))
        sents = list({sentence.start: sentence for sentence in ends}.values())
        last = sents[-1]
        # '"...," he said': an attribution sentence follows a quotation that did not end its
        # own sentence ('"...done." The minister said later' starts a new one)
        is_open = not self.text[quoted.start_char:quoted.end_char].rstrip().endswith(".")
        if last.end < len(doc) and is_open:
            after = sentence_of(doc[last.end])
            gap = self.text[quoted.end_char:after.start_char]
            is_short = len(after) <= 8 or self._starts_with_attribution(after)
            if len(gap) <= 3 and "\n" not in gap and "." not in gap and is_short:
                sents.append(after)
        first = sents[0]
        if first.start > 0 and quoted.start - first.start <= 1:
            before = sentence_of(doc[first.start - 1])
            if len(before) <= 8 and before.text.rstrip().endswith(","):
                sents.insert(0, before)
        return sents

    def _starts_with_attribution(self, sentence: Span) -> bool:
        """'he said', 'said Mr. Lavrov', 'the minister told reporters' at a sentence's start."""
        words = [t for t in sentence if not t.is_punct and not t.is_space][:5]
        return any(self._is_speech(t) and not self.quoted[t.i] for t in words)

    def _speech_speaker(self, sentences: list[Span], quoted: Span,
                        governing: bool = False) -> str | None:
        """The speaker of the speech verb (or "according to") nearest the quotation; with
        ``governing``, only of a speech verb the quoted words depend on."""
        best: tuple[int, str] | None = None
        centre = (quoted.start + quoted.end) // 2
        above = {t.i for t in quoted.root.ancestors}
        for sentence in sentences:
            for token in sentence:
                if self.quoted[token.i] or quoted.start <= token.i < quoted.end or (
                        governing and token.i not in above):
                    continue
                key = None
                if self._is_speech(token):
                    key = self._verb_speaker(token)
                elif token.lower_ == "according":
                    # "according to X": X is the source of the words
                    key = next((self._key(self._speaker_of(object_))
                                for to in token.children if to.lower_ == "to"
                                for object_ in to.children if object_.dep_ == "pobj"), None)
                if key is None:
                    continue
                distance = abs(token.i - centre)
                if best is None or distance < best[0]:
                    best = (distance, key)
        return best[1] if best else None

    def _verb_speaker(self, verb: Token) -> str | None:
        subject = self._subject(verb)
        if subject is not None:
            return self._key(self._speaker_of(subject))
        if any(c.dep_ in ("nsubj", "nsubjpass", "auxpass") for c in verb.children):
            return None
        if verb.lemma_.lower() != "tell":
            # '"...," said Mr. Putin': the parser may take the speaker after the verb for
            # its object (not after "tell", whose object is the one told)
            for child in verb.rights:
                if child.dep_ in ("dobj", "attr", "npadvmod", "dep") and \
                        self.cast.actor_of(child):
                    return self.cast.actor_of(child)
        return None

    def _subject(self, verb: Token) -> Token | None:
        """The one speaking through a verb: its frame's agent (its active subject, or the
        subject of the verb it depends on: 'criticised the plan, saying'); a passive verb of
        quoting ('was quoted as saying') speaks through its passive subject."""
        frame = self.frames.get(verb.i)
        if frame is not None and frame.kind == "verb" and not frame.is_passive and \
                frame.agents and frame.is_agent_direct and \
                self.doc[frame.agents[0]].head.i == verb.i:
            # "commented Ontario Premier David Peterson", parsed with two subjects: the actor
            agents = [self.doc[i] for i in frame.agents]
            return next((a for a in agents if self.cast.actor_of(a)), agents[0])
        for _ in range(4):
            if any(c.dep_ == "auxpass" for c in verb.children):
                if verb.lemma_.lower() not in PASSIVE_SPEECH:
                    return None
                passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
                return passive[0] if passive else None
            subjects = [c for c in verb.children if c.dep_ == "nsubj"]
            if subjects:
                # "commented Ontario Premier David Peterson" parsed with two subjects
                return next((c for c in subjects if self.cast.actor_of(c)), subjects[0])
            head = verb.head
            if verb.dep_ == "pcomp" and head.dep_ == "prep":
                head = head.head  # "by saying", "as saying"
            elif verb.dep_ not in _PARENT_DEPS:
                return None
            if head.i == verb.i or head.pos_ not in ("VERB", "AUX"):
                return None
            verb = head
        return None

    def _clause_speaker(self, quoted: Span) -> str | None:
        """A partial quotation: the subject of the verb the quoted words depend on."""
        node = quoted.root
        for _ in range(8):
            if node.i not in range(quoted.start, quoted.end) and node.pos_ in ("VERB", "AUX") \
                    and not self.quoted[node.i]:
                subject = self._subject(node)
                key = self._key(self._speaker_of(subject)) if subject is not None else None
                if key:
                    return key
            if node.head is node:
                break
            node = node.head
        return None

    def _relative_speaker(self, quoted: Span) -> str | None:
        """'the generals, who seized power against "criminals"': a term quoted in a relative
        clause that says what its antecedent did is the antecedent's word."""
        node = quoted.root
        for _ in range(8):
            if node.head is node:
                return None
            node = node.head
            if self._is_speech(node) and node.dep_ != "relcl":
                return None  # the speech verb's own speaker holds
            if node.dep_ == "relcl" and node.lemma_.lower() not in _STATIVE:
                subject = self._subject(node)
                if subject is not None and subject.lower_ in RELATIVE_PRONOUNS:
                    return self._key(self._speaker_of(subject))
                return None
        return None

    def _colon_lead(self, quoted: Span) -> str | None:
        """'Bush said:' or 'Bush put it this way:' just before the quotation."""
        doc = self.doc
        i = quoted.start - 1
        while i >= 0 and (doc[i].is_space or doc[i].text in OPENERS):
            i -= 1
        if i < 0 or doc[i].text != ":":
            return None
        sentence = sentence_of(doc[i])
        verbs = [t for t in sentence if t.i < i and t.pos_ in ("VERB", "AUX")
                 and not self.quoted[t.i]]
        for verb in sorted(verbs, key=lambda t: (not self._is_speech(t), -t.i)):
            subject = self._subject(verb)
            key = self._key(self._speaker_of(subject)) if subject is not None else None
            if key:
                return key
        return None

    # -- carried attribution ------------------------------------------------------------

    def _carried(self, span: QuoteSpan, previous: QuoteSpan | None) -> str | None:
        """A quoted sentence with no speaker of its own continues the last one speaking:
        in its paragraph before it, or, when it opens a paragraph, in the paragraph before
        (the newspaper convention for a paragraph that is wholly a quotation)."""
        quoted = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        if quoted is None:
            return None
        if span.continues:
            return previous.speaker if previous is not None else None
        paragraph = bisect.bisect_right(self.paragraphs, span.start)
        start = self.paragraphs[paragraph - 1] if paragraph else 0
        sentence = sentence_of(self.doc[quoted.start])
        if not self._is_sentence(quoted, [sentence]):
            return self._reported(quoted, sentence, start)
        opens_paragraph = not self.text[start:span.start - 1].strip()
        if opens_paragraph:
            if paragraph == 0:
                return None
            start = self.paragraphs[paragraph - 2] if paragraph >= 2 else 0
        last = self._last_said(start, span.start)
        return self._key(last.candidate) if last else None

    def _reported(self, quoted: Span, sentence: Span, paragraph_start: int) -> str | None:
        """A phrase quoted in a sentence without a speaker, right after someone's words in
        its paragraph, goes on reporting them ('He said talks were hard. And "intense
        discussions" were under way.'), unless the next sentence turns to another speaker
        (then it is the narrator's: 'The men were held in the "war on terror". The bishop
        added: ...')."""
        window = sentence
        for _ in range(2):
            if window.start == 0:
                break
            window = sentence_of(self.doc[window.start - 1])
        last = self._last_said(max(paragraph_start, window.start_char), sentence.start_char)
        if last is None or sentence.end >= len(self.doc):
            return None if last is None else self._key(last.candidate)
        following = sentence_of(self.doc[sentence.end])
        if following.start_char >= self._paragraph_end(sentence.start_char):
            return self._key(last.candidate)
        for token in following:
            if self.quoted[token.i] or not self._is_speech(token):
                continue
            subject = self._subject(token)
            if subject is None or subject.lower_ in SINGULAR_PRONOUNS | PLURAL_PRONOUNS:
                continue
            other = self._speaker_of(subject)
            if other is not None and other.key != last.key:
                return None
        return self._key(last.candidate)

    def _paragraph_end(self, char: int) -> int:
        paragraph = bisect.bisect_right(self.paragraphs, char)
        return self.paragraphs[paragraph] if paragraph < len(self.paragraphs) else len(self.text)

    def _last_said(self, start_char: int, end_char: int) -> _Said | None:
        for said in reversed(self.said):
            at = self.doc[said.position].idx
            if start_char <= at < end_char:
                return said
            if at < start_char:
                break
        return None

    # -- speakers of subject phrases ----------------------------------------------------

    def _speaker_of(self, token: Token) -> _Candidate | None:
        """The speaker a subject phrase names, known to the cast or found here."""
        lower = token.lower_
        if lower in SINGULAR_PRONOUNS | PLURAL_PRONOUNS:
            return self._pronoun(token)
        if lower in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
            return self._speaker_of(token.head.head)
        key = self.cast.actor_of(token)
        if key:
            return _Candidate(key=key)
        if token.tag_ == "CD" or lower in QUANTIFIERS:
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for object_ in prep.children:
                        if object_.dep_ == "pobj":
                            found = self._speaker_of(object_)
                            if found and found.label and lower == "one":
                                # "one of the officials" is an official
                                found = self._unnamed(object_, singular=True)
                            return found
            return None
        lemma = token.lemma_.lower()
        if lemma in self.cues.media:
            # "a statement by the ministry", "an editorial in the People's Daily"
            for child in token.children:
                if child.dep_ == "poss":
                    return self._speaker_of(child)
                if child.dep_ == "prep" and child.lower_ in ("by", "in", "from", "of"):
                    for object_ in child.children:
                        if object_.dep_ == "pobj":
                            return self._speaker_of(object_)
            return None
        place = self.lexicon.names.get(lower) or self.lexicon.capitals.get(lower)
        if place and token.pos_ == "PROPN":
            # "Beijing, which described the embargo as ...": a capital that speaks is its state
            return _Candidate(key=place, place=place, alias=token.text, token=token.i)
        if self._is_definite_title(token):
            titled = self._title_holder(token)
            if titled:
                return _Candidate(key=titled)
            if lemma not in self.cues.speakers:  # "the official" may still be unnamed
                return self._pronoun(token, is_title=True)
        if lemma in self.cues.speakers:
            return self._unnamed(token)
        return None

    def _pronoun(self, token: Token, is_title: bool = False) -> _Candidate | None:
        """"he said": the nearest speaker before the pronoun that it can stand for, unless
        the person the resolver chose was named after that speaker spoke. A title ("the
        prime minister said") is read the same way, among named people only."""
        number = "plural" if token.lower_ in PLURAL_PRONOUNS else "singular"
        resolved = self.cast.actor_of(token)
        if resolved and (self.cast.members[resolved].type == "Person") != (number == "singular"):
            resolved = None  # "they" is no one person
        paragraph = bisect.bisect_right(self.paragraphs, token.idx)
        # the pronoun's paragraph and the two before it
        floor = self.paragraphs[paragraph - 3] if paragraph >= 3 else 0
        for said in reversed(self.said):
            if said.position >= token.i:
                continue
            if self.doc[said.position].idx < floor:
                break
            if not self._agrees(said, number) or (is_title and not self._is_person(said.key)):
                continue
            if resolved and resolved != said.key and \
                    self._last_mention(resolved, token.i, said.position) > said.position:
                break
            return said.candidate
        return _Candidate(key=resolved) if resolved else None

    def _is_person(self, key: str) -> bool:
        return key in self.cast.members and self.cast.members[key].type == "Person"

    def _agrees(self, said: _Said, number: str) -> bool:
        if said.number:
            return said.number == number
        member = self.cast.members.get(said.key)
        kind = member.type if member else said.candidate.type
        return (kind == "Person") == (number == "singular")

    def _last_mention(self, key: str, before: int, speaking: int) -> int:
        """The last token before ``before``, outside quotations and outside what the verb at
        ``speaking`` reports, naming the actor ("officials said Yoon had not told them.
        They ...": Yoon is part of what was said, "they" still the officials)."""
        found = -1
        verb = self.doc[speaking]
        for i, k in self.cast.token_actor.items():
            if k == key and found < i < before and not self.quoted[i] and \
                    self.doc[i].pos_ != "PRON" and verb not in self.doc[i].ancestors:
                found = i
        return found

    def _is_definite_title(self, token: Token) -> bool:
        """"the prime minister", "the archbishop": a title with "the" names someone the
        text has named, not an unnamed speaker."""
        if not any(c.lower_ == "the" and c.dep_ == "det" for c in token.children):
            return False
        words = self._title_words(token)
        return any(" ".join(words[n:]) in self.lexicon.titles for n in range(len(words)))

    @staticmethod
    def _title_words(token: Token) -> list[str]:
        return [c.lower_ for c in token.lefts if c.dep_ in ("compound", "amod")] + [token.lower_]

    def _title_holder(self, token: Token) -> str | None:
        """"the archbishop", "the foreign secretary": the person the text gave that title,
        the last one before it."""
        words = self._title_words(token)
        holders = [role for role in self.cast.roles
                   if role.subject in self.cast.members and role.start < token.i
                   and role.title.lower().split() == words[-len(role.title.split()):]]
        return holders[-1].subject if holders else None

    def _unnamed(self, token: Token, singular: bool = False) -> _Candidate | None:
        """"a spokesman for Mr Blair" speaks for Blair; "Foreign Ministry spokesman Per
        Paust" is Per Paust; "a senior source" is a speaker called "senior source"."""
        name = [t for t in self.doc[token.i + 1:token.right_edge.i + 1]
                if t.is_alpha and t.text[0].isupper()]
        is_name = bool(name) and name[0].i == token.i + 1 and \
            len(name) == name[-1].i - token.i and name[-1].pos_ == "PROPN"
        named = {self.cast.actor_of(t) for t in name} if is_name else set()
        if is_name and len(named) == 1 and None not in named:
            return _Candidate(key=named.pop())  # the resolver already knows the name
        if is_name and not any(named):
            label = " ".join(t.text for t in name)
            return _Candidate(key=f"person:{label.lower()}", label=label, type="Person",
                              alias=label, token=token.i)
        for child in token.children:
            affiliate = None
            if child.dep_ in ("compound", "amod", "poss", "nmod"):
                affiliate = self._affiliate(child)
            elif child.dep_ == "prep" and child.lower_ in ("for", "of", "at", "from"):
                affiliate = next((self._affiliate(o) for o in child.children
                                  if o.dep_ == "pobj"), None)
            if affiliate:
                return _Candidate(key=affiliate)
        words = [t for t in token.lefts if t.dep_ in ("compound", "amod", "nmod")
                 and not t.like_num] + [token]
        if len(words) == 1 and token.lemma_.lower() in MILITARY_RANKS and \
                "group:armed forces" in self.cast.members:
            # "the generals said": the armed force the article is about, not a new group
            return _Candidate(key="group:armed forces")
        label = " ".join(t.text for t in self.doc[words[0].i:token.i])
        label = f"{label} {token.lemma_ if singular else token.text}".strip()
        kind = "Group" if token.tag_ in ("NNS", "NNPS") and not singular else "Person"
        return _Candidate(key=f"unnamed:{label.lower()}", label=label, type=kind, alias=label,
                          token=token.i)

    def _affiliate(self, token: Token) -> str | None:
        """The actor a modifier names, looking inside compounds ("UK Government")."""
        for node in (token, *token.children):
            key = self.cast.actor_of(node)
            if key:
                return key
        return None

    def _key(self, candidate: _Candidate | None) -> str | None:
        if candidate is None:
            return None
        if candidate.key not in self.cast.members:
            self.pending.setdefault(candidate.key, candidate)
            self.phrases.setdefault(candidate.key, set()).add(candidate.token)
        return candidate.key

    def _admit(self, candidate: _Candidate) -> None:
        """Add a speaker found here to the cast, with a mention per phrase that named it."""
        if candidate.place:
            member = self.cast.member_for_place(candidate.place)
        else:
            member = self.cast.member(candidate.key, candidate.label, candidate.type)
            if candidate.key.startswith("unnamed:"):
                member.scope = self.cast.doc_id
        if member.mentions == 0:
            member.first = candidate.token
        member.mentions += len(self.phrases[candidate.key])
        member.aliases.setdefault(candidate.alias, None)

    # -- what is not speech -------------------------------------------------------------

    def _is_sentence(self, quoted: Span, sentences: list[Span]) -> bool:
        """Whether the quotation is a whole sentence (or more), not a phrase in one."""
        if _fills(quoted, sentences):
            return True
        content = [t for t in quoted if not t.is_punct and not t.is_space]
        first = self.text[quoted.start_char:quoted.end_char].lstrip("\"“'‘ ")
        return bool(first) and first[0].isupper() and any(
            t.pos_ in ("VERB", "AUX") for t in content) and len(content) >= 4

    def _is_name(self, span: QuoteSpan, quoted: Span) -> bool:
        """A quoted name or term: a title ("Meet the Press", "Blue House") or a word after
        "dubbed" or "so-called"; unless a colon or comma introduces it as speech."""
        before = self.text[max(0, span.start - 40):span.start - 1].rstrip()
        if before.endswith((":", ",")):
            return False
        previous = before.split()[-1].lower() if before.split() else ""
        if previous in self.cues.naming:
            return True
        words = self.text[span.start:span.end].strip().rstrip(_SENTENCE_END).split()
        if not 2 <= len(words) <= 6:
            return False
        return all(w[0].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words) and \
            words[0][0].isupper() and not self._is_sentence_start(quoted)

    def _is_sentence_start(self, quoted: Span) -> bool:
        """A quotation that begins its sentence is speech however it is capitalised."""
        sentence = sentence_of(self.doc[quoted.start])
        return quoted.start - sentence.start <= 1


def _fills(quoted: Span, sentences: list[Span]) -> bool:
    """Whether the quotation is all the words of its sentences."""
    return all(quoted.start <= t.i < quoted.end for s in sentences for t in s
               if not t.is_punct and not t.is_space)


def _number(subject: Token) -> str:
    """Grammatical number of a common-noun subject, so "he" and "they" find the right
    speaker: "a spokesman" is "he" though he speaks for a ministry. Names go by their
    actor's type."""
    if subject.tag_ == "NNS":
        return "plural"
    if subject.tag_ == "NN":
        return "singular"
    return ""
