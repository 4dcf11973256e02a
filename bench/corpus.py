"""Generate a benchmark corpus by recombining the example articles.

Each generated article takes the header (headline, byline, date line) and the lead
paragraph of one example, then a shuffled selection of its other paragraphs, with one to
three of its people renamed to invented surnames. The texts are as long and as dense in
names, quotes and events as real wire copy, and differ from each other, so content hashes
and extraction work are realistic. The same seed gives the same corpus.

Eight examples recombined this way give near-duplicates: one in 20 of 10,000 articles,
one in 6 of 100,000, which a build reads and skips (``kg.ingest``). With ``--distinct``
a draw that kg would take for a duplicate of an earlier article is drawn again, so a
build stores every article generated; the first N articles are the same whatever the
count.

Usage:
    python bench/corpus.py OUT_DIR --count 1000 [--seed 7] [--distinct]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from kg.ingest import parse_article
from kg.ingest.identity import Duplicates

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# a paragraph shorter than this is a header line (headline, byline, date line)
HEADER_WORDS = 20
# people of the example articles, by the surname the articles use for them
SURNAMES = ("Bush", "Putin", "Powell", "Biden", "Obama", "Tusk", "Medvedev", "Rogozin",
            "Rasmussen", "McCain", "Sarkozy", "Saakashvili", "Merkel", "Yatsenyuk", "Kerry",
            "Zarif", "Mogherini", "Rouhani", "Netanyahu", "Trump", "Abe", "Fischer",
            "Boehner", "Amano")
# draws in a row that may all be duplicates before a distinct corpus is given up
MAX_DRAWS = 1000
# invented for the benchmark
INVENTED = ("Calloway", "Verhoeven", "Marsh", "Okafor", "Lindgren", "Tavares", "Brennan",
            "Ostrowski", "Haddad", "Sorensen", "Achterberg", "Molina", "Kessler", "Drummond",
            "Varga", "Nakagawa", "Whitlock", "Ferreira", "Halloran", "Petrakis")


def split_article(text: str) -> tuple[list[str], list[str]]:
    """Return an article's header paragraphs and body paragraphs."""
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    header = 0
    while header < len(paragraphs) and len(paragraphs[header].split()) < HEADER_WORDS:
        header += 1
    return paragraphs[:header], paragraphs[header:]


def recombine(text: str, rng: random.Random) -> str:
    """One new article from an example: lead kept, other paragraphs shuffled and thinned,
    some people renamed."""
    header, body = split_article(text)
    lead, rest = body[0], body[1:]
    rng.shuffle(rest)
    rest = rest[:max(1, round(len(rest) * rng.uniform(0.7, 1.0)))]
    article = "\n\n".join([*header, lead, *rest]) + "\n"
    present = [name for name in SURNAMES if re.search(rf"\b{name}\b", article)]
    for old, new in zip(rng.sample(present, min(len(present), rng.randint(1, 3))),
                        rng.sample(INVENTED, 3)):
        article = re.sub(rf"\b{old}\b", new, article)
    return article


def generate(out_dir: str | Path, count: int, *, seed: int = 7, distinct: bool = False) -> Path:
    """Write ``count`` articles to ``out_dir`` (created), deterministically; return it.

    With ``distinct``, no article is one kg's reader would skip as a (near-)duplicate of
    an earlier one (``kg.ingest.identity.Duplicates``, the reader's own test), so a build
    stores all ``count``.

    Raises:
        ValueError: ``distinct`` and ``MAX_DRAWS`` draws in a row were all duplicates.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sources = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    rng = random.Random(seed)
    duplicates = Duplicates() if distinct else None
    for n in range(count):
        for _ in range(MAX_DRAWS):
            text = recombine(sources[n % len(sources)], rng)
            if duplicates is None or duplicates.kept(parse_article(text, doc_id=str(n))) is None:
                break
        else:
            raise ValueError(f"{MAX_DRAWS} draws in a row were duplicates: the examples "
                             f"give fewer than {count} distinct articles")
        (out / f"article-{n:06d}.txt").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--distinct", action="store_true",
                        help="no article a build would skip as a duplicate of another")
    arguments = parser.parse_args()
    generate(arguments.out_dir, arguments.count, seed=arguments.seed,
             distinct=arguments.distinct)


if __name__ == "__main__":
    main()
