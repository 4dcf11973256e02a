"""Tests for kg.ingest: reading articles, blanking headers and boilerplate, metadata."""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import InputError, LexiconError
from kg.ingest import identity
from kg.ingest import load_boilerplate, parse_article, read_document, read_documents
from kg.records import Document

HEADED = (
    "Ministers Agree to Share Grid Data\n"
    "\n"
    "By Jane Doe\n"
    "Daily Example Staff Writer\n"
    "Friday, June 8, 2007\n"
    "\n"
    "OSLO, Norway, June 7 -- Energy ministers from five countries agreed on Thursday to "
    "share data from their power grids.\n"
    "\n"
    "The agreement takes effect next year, officials said.\n"
)
BODY = "Energy ministers from five countries agreed on Thursday"


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def collect(paths, **kwargs) -> tuple[list[Document], list[str]]:
    errors: list[str] = []
    docs = list(read_documents(paths, on_error=lambda e: errors.append(str(e)), **kwargs))
    return docs, errors


def assert_only_blanked(original: str, blanked: str) -> None:
    assert len(blanked) == len(original)
    for before, after in zip(original, blanked, strict=True):
        assert after == before or (after == " " and before not in "\r\n")


# ---- parse_article: header metadata


def test_ingest_reads_full_header():
    doc = parse_article(HEADED, doc_id="grid")
    assert doc.id == "grid"
    assert doc.title == "Ministers Agree to Share Grid Data"
    assert doc.author == "Jane Doe"
    assert doc.publisher == "Daily Example"
    assert doc.published == "2007-06-08"
    assert doc.place == "Oslo, Norway"
    assert doc.body_start == HEADED.index(BODY)
    assert doc.text[doc.body_start:] == HEADED[HEADED.index(BODY):]


def test_ingest_blanks_header_keeping_offsets():
    doc = parse_article(HEADED, doc_id="grid")
    assert_only_blanked(HEADED, doc.text)
    assert doc.text[:doc.body_start].strip() == ""
    assert doc.text.count("\n") == HEADED.count("\n")
    assert "OSLO" not in doc.text and "Jane Doe" not in doc.text


@pytest.mark.parametrize(("line", "place", "publisher"), [
    ("ROSTOCK, Germany, June 7 -- ", "Rostock, Germany", None),
    ("MOSCOW (Reuters) - ", "Moscow", "Reuters"),
    ("WASHINGTON — ", "Washington", None),
    ("ST. PETERSBURG, Russia (AP) -- ", "St. Petersburg", "AP"),
    ("RIO DE JANEIRO – ", "Rio de Janeiro", None),
    ("BERLIN, June 7 (Example Wire) - ", "Berlin", "Example Wire"),
])
def test_ingest_reads_and_blanks_dateline(line, place, publisher):
    text = line + "The delegates met for three hours."
    doc = parse_article(text, doc_id="d")
    assert doc.place.startswith(place)
    assert doc.publisher == publisher
    assert doc.body_start == len(line)
    assert doc.text == " " * len(line) + "The delegates met for three hours."


def test_ingest_dateline_keeps_region():
    assert parse_article("ROSTOCK, Germany -- Talks opened.", doc_id="d").place == \
        "Rostock, Germany"


@pytest.mark.parametrize("text", [
    "President Lund -- who chairs the council -- spoke first.",
    "Officials said - without giving details - that talks went on.",
    "NATO",
    "The vote was close.",
])
def test_ingest_no_dateline_in_plain_sentence(text):
    doc = parse_article(text, doc_id="d")
    assert doc.place is None
    assert doc.text == text


@pytest.mark.parametrize("date_line", [
    "Friday, June 8, 2007", "June 8, 2007", "2007-06-08", "8 June 2007",
    "Updated: June 8, 2007 at 5:32 p.m. ET",
    "June 8, 2007, 10:00 PM UTC / Updated June 9, 2007, 12:43 PM UTC",
])
def test_ingest_reads_date_line(date_line):
    text = f"Grid Deal Signed\n\n{date_line}\n\nThe ministers signed the deal."
    doc = parse_article(text, doc_id="d")
    assert doc.published == "2007-06-08"
    assert doc.text[doc.body_start:] == "The ministers signed the deal."


def test_ingest_reads_publisher_and_date_on_one_line():
    doc = parse_article("Grid Deal Signed\n\nBBC News, 8 June 2007\n\nThe ministers signed.",
                        doc_id="d")
    assert (doc.publisher, doc.published) == ("BBC News", "2007-06-08")
    assert doc.text[doc.body_start:] == "The ministers signed."


def test_ingest_headline_position_is_kept():
    text = "  Grid Deal Signed\n\nThe ministers signed the deal."
    doc = parse_article(text, doc_id="d")
    assert text[doc.title_start:doc.title_start + len(doc.title)] == "Grid Deal Signed"
    given = parse_article(text, doc_id="d", metadata={"title": "Another"})
    assert given.title_start is None


@pytest.mark.parametrize("line", ["June 2007", "In 2007 the talks stalled.", "Talks 2007 Open",
                                  "June 8, 2007 / the talks stalled"])
def test_ingest_incomplete_or_prose_date_is_body(line):
    text = f"By Jane Doe\n\n{line}\n\nMore text follows here."
    doc = parse_article(text, doc_id="d")
    assert doc.published is None
    assert doc.text[doc.body_start:].startswith(line)


def test_ingest_dateline_full_date_used_without_date_line():
    doc = parse_article("BERLIN, June 7, 2007 -- Talks opened.", doc_id="d")
    assert doc.published == "2007-06-07"
    assert doc.place == "Berlin"


def test_ingest_date_line_wins_over_dateline_date():
    text = "June 8, 2007\n\nBERLIN, June 6, 2007 -- Talks opened."
    assert parse_article(text, doc_id="d").published == "2007-06-08"


def test_ingest_dateline_without_year_gives_no_date():
    assert parse_article("BERLIN, June 7 -- Talks opened.", doc_id="d").published is None


@pytest.mark.parametrize(("text", "title"), [
    ("Leaders Meet in Oslo\n\nThe leaders met.", "Leaders Meet in Oslo"),
    ("  Leaders Meet in Oslo  \r\n\r\nThe leaders met.", "Leaders Meet in Oslo"),
    ("Leaders Meet in Oslo\nBy Jane Doe\n\nThe leaders met.", "Leaders Meet in Oslo"),
    ("The leaders met in Oslo.\n\nThey talked.", None),
    ("Leaders meet\nin Oslo for talks\n\nThey talked.", None),
    (" ".join(["word"] * 25) + "\n\nThey talked.", None),
    ("Will the Talks Go On?\n\nThey talked.", None),
])
def test_ingest_title_rules(text, title):
    doc = parse_article(text, doc_id="d")
    assert doc.title == title
    if title is None:
        assert doc.body_start == len(text) - len(text.lstrip())


@pytest.mark.parametrize(("byline", "author", "publisher"), [
    ("By Jane Doe", "Jane Doe", None),
    ("By Jane Doe and John Roe", "Jane Doe and John Roe", None),
    ("BY JANE DOE", "Jane Doe", None),
    ("By Ana de la Cruz", "Ana de la Cruz", None),
    ("By Jane Doe, Associated Press Writer", "Jane Doe", "Associated Press"),
    ("By Jane Doe | The Example Times", "Jane Doe", "Example Times"),
])
def test_ingest_reads_byline(byline, author, publisher):
    doc = parse_article(f"Talks Resume\n\n{byline}\n\nThe talks resumed.", doc_id="d")
    assert (doc.author, doc.publisher) == (author, publisher)
    assert doc.text[doc.body_start:] == "The talks resumed."


def test_ingest_sentence_starting_with_by_is_body():
    text = "By the end of the week, the talks had resumed."
    doc = parse_article(text, doc_id="d")
    assert doc.author is None
    assert doc.text == text


@pytest.mark.parametrize(("lines", "publisher"), [
    ("By Jane Doe\nExample Post Staff Writer", "Example Post"),
    ("By Jane Doe\nAssociated Press", "Associated Press"),
    ("By Jane Doe\nReuters", "Reuters"),
    ("Special to The Example Times", "Example Times"),
    ("Example Herald Correspondent", "Example Herald"),
])
def test_ingest_reads_publisher_line(lines, publisher):
    doc = parse_article(f"Talks Resume\n\n{lines}\n\nThe talks resumed.", doc_id="d")
    assert doc.publisher == publisher
    assert doc.text[doc.body_start:] == "The talks resumed."


def test_ingest_short_line_without_byline_is_not_publisher():
    doc = parse_article("Talks Resume\n\nLeaders Agree\n\nThe talks resumed.", doc_id="d")
    assert doc.publisher is None
    assert doc.text[doc.body_start:].startswith("Leaders Agree")


def test_ingest_staff_line_without_publisher_is_header():
    doc = parse_article("By Jane Doe\nStaff Writer\n\nThe talks resumed.", doc_id="d")
    assert (doc.author, doc.publisher) == ("Jane Doe", None)
    assert doc.text[doc.body_start:] == "The talks resumed."


# ---- boilerplate


@pytest.mark.parametrize("line", [
    "CONTINUED     1        >",
    "< Back  1  2  Next >",
    "© 2007 The Example Post Company",
    "Copyright 2019 Example Media Group. All rights reserved.",
    "All Rights Reserved.",
    "NEWYou can now listen to Example News articles!",
    "You can now listen to Example News articles!",
    "Click here to get the morning briefing",
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Share this article",
    "Sign up for our newsletter",
    "Sign up for the Example Daily newsletter and never miss a story",
    "Read more: Leaders meet in Oslo",
    "(Photo: Jane Doe/Example Agency)",
    "Photo: Jane Doe/Example Agency",
    "Page 2 of 3",
])
def test_ingest_blanks_boilerplate_line(line):
    text = f"The talks began on Monday.\n\n  {line}  \n\nThey ended on Friday."
    doc = parse_article(text, doc_id="d")
    assert doc.text == text.replace(line, " " * len(line))


@pytest.mark.parametrize("sentence", [
    "The ministry banned the advertisement on Tuesday.",
    "Copyright law was debated in the chamber.",
    "Voters were told to click here and there, a critic said.",
    "Read more carefully, the judge told the lawyers.",
    "He said all rights reserved for members would be kept, and then he left the room "
    "without answering the questions that reporters had shouted at him for an hour or more "
    "about the budget.",
])
def test_ingest_keeps_body_lines_resembling_boilerplate(sentence):
    text = f"The talks began on Monday.\n\n{sentence}\n"
    assert parse_article(text, doc_id="d").text == text


def test_ingest_boilerplate_at_top_does_not_hide_title():
    text = "Grid Deal Signed\n\nNEWYou can now listen to Example News articles!\n\nThey signed."
    doc = parse_article(text, doc_id="d")
    assert doc.title == "Grid Deal Signed"
    assert doc.text[doc.body_start:] == "They signed."


def test_ingest_boilerplate_file_loads_once_with_header():
    patterns = load_boilerplate()
    assert patterns is load_boilerplate()
    assert len(patterns) >= 10
    shipped = Path(__file__).parents[1] / "kg" / "data" / "boilerplate.tsv"
    assert shipped.read_text(encoding="utf-8").startswith("# boilerplate.tsv")


def test_ingest_boilerplate_bad_pattern_names_line(tmp_path):
    path = write(tmp_path, "boilerplate.tsv",
                 "# test\npattern\tnote\nadvertisement\tok\n(unclosed\tbroken\n")
    with pytest.raises(LexiconError, match=r"boilerplate\.tsv:4: bad pattern: ") as info:
        load_boilerplate(path)
    assert "\n" not in str(info.value)


def test_ingest_boilerplate_empty_pattern_names_line(tmp_path):
    path = write(tmp_path, "boilerplate.tsv", "pattern\tnote\n\tno pattern here\n")
    with pytest.raises(LexiconError, match=r"boilerplate\.tsv:2: empty pattern"):
        load_boilerplate(path)


def test_ingest_boilerplate_from_kg_data_dir(tmp_path, monkeypatch):
    write(tmp_path, "boilerplate.tsv", "pattern\tnote\nnothing to see here\tlocal rule\n")
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path))
    load_boilerplate.cache_clear()
    try:
        doc = parse_article("They met.\nNothing to see here\nAdvertisement\n", doc_id="d")
        assert doc.text == "They met.\n" + " " * len("Nothing to see here") + "\nAdvertisement\n"
    finally:
        monkeypatch.delenv("KG_DATA_DIR")
        load_boilerplate.cache_clear()


# ---- markdown, line ends, empty text


def test_ingest_markdown_heading_is_title_and_markup_blanked():
    text = ("# Will the Talks Go On?\n\n"
            "The **ministers** met in [Oslo](https://example.org/oslo) on *Monday*.\n\n"
            "- first point\n"
            "> a quoted line\n"
            "![map](map.png)\n")
    doc = parse_article(text, doc_id="d", is_markdown=True)
    assert doc.title == "Will the Talks Go On?"
    assert_only_blanked(text, doc.text)
    assert doc.text.split() == ["The", "ministers", "met", "in", "Oslo", "on", "Monday", ".",
                                "first", "point", "a", "quoted", "line"]
    oslo = text.index("Oslo")
    assert doc.text[oslo:oslo + 4] == "Oslo"


def test_ingest_markdown_html_blanked_across_lines():
    text = "They met.<!-- editor's\nnote --> Talks<br/> went on."
    doc = parse_article(text, doc_id="d", is_markdown=True)
    assert_only_blanked(text, doc.text)
    assert doc.text.split() == ["They", "met.", "Talks", "went", "on."]


def test_ingest_markdown_front_matter():
    text = "---\ntitle: Grid Deal\ndate: 8 June 2007\nauthor: Jane Doe\n---\nThey signed."
    doc = parse_article(text, doc_id="d", is_markdown=True)
    assert (doc.title, doc.published, doc.author) == ("Grid Deal", "2007-06-08", "Jane Doe")
    assert doc.text[doc.body_start:] == "They signed."
    assert_only_blanked(text, doc.text)


def test_ingest_plain_text_keeps_markdown_like_characters():
    text = "The vote was 5 * 3 in *favour*, a [draft] said.\n# not a heading"
    assert parse_article(text, doc_id="d").text == text


def test_ingest_keeps_crlf():
    text = HEADED.replace("\n", "\r\n")
    doc = parse_article(text, doc_id="d")
    assert doc.text.count("\r\n") == text.count("\r\n")
    assert doc.place == "Oslo, Norway" and doc.published == "2007-06-08"
    assert doc.body_start == text.index(BODY)


@pytest.mark.parametrize("text", ["", "   \n\t\r\n  "])
def test_ingest_empty_text_is_error(text):
    with pytest.raises(InputError, match=r"^a\.txt: empty text$"):
        parse_article(text, doc_id="a", source="a.txt")


def test_ingest_header_only_text_is_error():
    with pytest.raises(InputError, match=r"^h: no article text"):
        parse_article("Grid Deal Signed\n\nBy Jane Doe\n\nAdvertisement\n", doc_id="h")


# ---- outside metadata


def test_ingest_outside_metadata_wins():
    doc = parse_article(HEADED, doc_id="d", source="grid.txt", metadata={
        "title": "A Better Title", "published": "June 9th, 2007", "place": "Bergen",
        "author": "", "url": "https://example.org/grid", "extra": 3})
    assert doc.title == "A Better Title"
    assert doc.published == "2007-06-09"
    assert doc.place == "Bergen"
    assert doc.author == "Jane Doe"  # an empty value does not override
    assert doc.url == "https://example.org/grid"


@pytest.mark.parametrize(("metadata", "message"), [
    ({"published": "soon"}, r"^x\.txt: published: cannot read 'soon' as a full date$"),
    ({"published": "June 2007"}, r"^x\.txt: published: cannot read 'June 2007'"),
    ({"title": 7}, r"^x\.txt: title is not a string$"),
])
def test_ingest_bad_outside_metadata_is_error(metadata, message):
    with pytest.raises(InputError, match=message):
        parse_article("They met.", doc_id="x", source="x.txt", metadata=metadata)


# ---- property: offsets are sacred


HEADERISH = st.sampled_from([
    "Grid Deal Signed", "By Jane Doe", "June 8, 2007", "Example Post Staff Writer",
    "OSLO, Norway, June 7 -- They met.", "Advertisement", "# Heading", "**bold** [a](b)",
    "---", "", " ", "\r", "CONTINUED 1 >", "(Photo: Example)", "They met.",
])


@given(st.text(), st.booleans())
def test_ingest_property_any_text_keeps_length_and_characters(text, is_markdown):
    try:
        doc = parse_article(text, doc_id="p", is_markdown=is_markdown)
    except InputError:
        return
    assert_only_blanked(text, doc.text)
    assert doc.text[doc.body_start:doc.body_start + 1].strip()


@given(st.lists(st.one_of(HEADERISH, st.text(max_size=20)), max_size=12),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_ingest_property_article_shapes_keep_offsets(lines, newline, is_markdown):
    text = newline.join([*lines, "The body sentence stays."])
    doc = parse_article(text, doc_id="p", is_markdown=is_markdown)
    assert_only_blanked(text, doc.text)
    assert doc.text.endswith("The body sentence stays.")


# ---- files and directories


def test_ingest_read_document_offsets_match_disk(tmp_path):
    path = write(tmp_path, "grid.txt", HEADED.replace("\n", "\r\n"))
    doc = read_document(path)
    on_disk = path.read_bytes().decode("utf-8")
    start = on_disk.index(BODY)
    assert doc.id == "grid" and doc.source == str(path)
    assert len(doc.text) == len(on_disk)
    assert doc.text[start:start + len(BODY)] == BODY


def test_ingest_directory_recursive_sorted_and_filtered(tmp_path):
    write(tmp_path, "b.txt", "Second text here.")
    write(tmp_path, "a.md", "First text here.")
    write(tmp_path, "sub/c.text", "Third text here.")
    write(tmp_path, "sub/deeper/d.markdown", "Fourth text here.")
    write(tmp_path, "z.jsonl", json.dumps({"id": "e", "text": "Fifth text here."}) + "\n")
    write(tmp_path, "notes.csv", "a,b\n")
    write(tmp_path, "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path, ".hidden.txt", "Never read.")
    write(tmp_path, ".git/x.txt", "Never read.")
    docs, errors = collect([tmp_path])
    assert errors == []
    assert [d.id for d in docs] == ["a", "b", "c", "d", "e"]
    assert [d.id for d in collect([tmp_path])[0]] == ["a", "b", "c", "d", "e"]


def test_ingest_explicit_unknown_extension_read_as_text(tmp_path):
    path = write(tmp_path, "article.html.bak", "They met in Oslo.")
    docs, errors = collect([path])
    assert errors == []
    assert [(d.id, d.text) for d in docs] == [("article.html", "They met in Oslo.")]


def test_ingest_single_path_string(tmp_path):
    path = write(tmp_path, "one.txt", "They met in Oslo.")
    assert [d.id for d in read_documents(str(path))] == ["one"]


def test_ingest_sidecar_metadata(tmp_path):
    path = write(tmp_path, "grid.txt", HEADED)
    write(tmp_path, "grid.meta.json", json.dumps(
        {"title": "Sidecar Title", "published": "2007-06-10T09:00:00Z",
         "url": "https://example.org/g"}))
    docs, errors = collect([tmp_path])
    assert errors == []
    assert len(docs) == 1
    doc = docs[0]
    assert (doc.title, doc.published, doc.author) == ("Sidecar Title", "2007-06-10", "Jane Doe")
    assert doc.url == "https://example.org/g"
    assert read_document(path).title == "Sidecar Title"
    assert collect([tmp_path / "grid.meta.json"]) == ([], [])


@pytest.mark.parametrize(("sidecar", "message"), [
    ("{not json", r"bad\.meta\.json: not JSON: "),
    ("[1, 2]", r"bad\.meta\.json: not a JSON object$"),
    ('{"published": "someday"}', r"bad\.meta\.json: published: cannot read"),
])
def test_ingest_bad_sidecar_is_error_others_go_on(tmp_path, sidecar, message):
    write(tmp_path, "bad.txt", "They met in Oslo.")
    write(tmp_path, "bad.meta.json", sidecar)
    write(tmp_path, "good.txt", "They met in Bergen.")
    docs, errors = collect([tmp_path])
    assert [d.id for d in docs] == ["good"]
    assert len(errors) == 1 and re.search(message, errors[0])


def test_ingest_id_clash_takes_a_suffix_from_the_origin(tmp_path, caplog):
    write(tmp_path, "a/x.txt", "Text in a.")
    write(tmp_path, "b/x.txt", "Text in b.")
    write(tmp_path, "c/b/x.txt", "Text in c/b.")
    write(tmp_path, "d/b/x.txt", "Text in d/b.")
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        docs, errors = collect([tmp_path])
    assert errors == []
    ids = [d.id for d in docs]
    assert ids[0] == "x" and len(set(ids)) == 4
    assert all(re.fullmatch(r"x-[0-9a-f]{8}", i) for i in ids[1:])
    assert [d.text for d in docs] == ["Text in a.", "Text in b.", "Text in c/b.",
                                      "Text in d/b."]
    assert f"id 'x' is taken by an article read before, using '{ids[1]}'" in caplog.text
    assert [d.id for d in collect([tmp_path])[0]] == ids


def test_ingest_ids_never_collide_across_build_roots_issue_12(tmp_path, caplog):
    """Issue #12 item 5: `kg build A B`, then `kg build B`, must not replace A's x.txt."""
    a = write(tmp_path, "A/x.txt", "Text in A.").parent
    b = write(tmp_path, "B/x.txt", "Text in B.").parent
    first = collect([a, b])[0]
    stored = {d.id: d.origin for d in first}
    assert [d.origin for d in first] == ["A/x.txt", "B/x.txt"]
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        again = collect([b], stored=stored)[0]
    # B's article keeps the id it was stored under, and never takes A's
    assert [d.id for d in again] == [first[1].id] != ["x"]
    # named by itself, from another working directory, the file is still the same one
    assert [d.id for d in collect([b / "x.txt"], stored=stored)[0]] == [first[1].id]
    # in a store that only knows A, B's x.txt is warned about and kept apart
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        fresh = collect([b], stored={"x": "A/x.txt"})[0]
    assert fresh[0].id == first[1].id
    assert "id 'x' is taken by the stored article from A/x.txt" in caplog.text


def test_ingest_same_file_twice_read_once(tmp_path):
    path = write(tmp_path, "a.txt", "They met.")
    docs, errors = collect([tmp_path, path, tmp_path])
    assert [d.id for d in docs] == ["a"] and errors == []


# ---- JSONL


def test_ingest_jsonl_lines_and_errors(tmp_path):
    lines = [
        json.dumps({"id": "one", "text": "Grid Deal\n\nThey signed.", "author": "Jane Doe",
                    "published": "8 June 2007", "url": "https://example.org/1"}),
        "",
        "{not json",
        "[1, 2]",
        json.dumps({"text": "No id here."}),
        json.dumps({"id": "two"}),
        json.dumps({"id": 3, "text": "Numeric id."}),
        json.dumps({"id": "four", "text": "   "}),
        json.dumps({"id": "one", "text": "A clashing id."}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    docs, errors = collect([path])
    assert [d.id for d in docs][:2] == ["one", "3"]
    assert re.fullmatch(r"one-[0-9a-f]{8}", docs[2].id)
    first = docs[0]
    assert (first.title, first.author, first.published, first.url) == (
        "Grid Deal", "Jane Doe", "2007-06-08", "https://example.org/1")
    assert first.text == " " * len("Grid Deal") + "\n\nThey signed."
    assert docs[1].source == f"{path}:7"
    assert [e.split(": ", 1)[0] for e in errors] == [f"{path}:{n}" for n in (3, 4, 5, 6, 8)]
    assert errors[0].startswith(f"{path}:3: not JSON: ")
    assert errors[1] == f"{path}:4: not a JSON object"
    assert errors[2] == f"{path}:5: no id (a non-empty string)"
    assert errors[3] == f"{path}:6: no text (a string)"
    assert errors[4] == f"{path}:8: empty text"


def test_ingest_jsonl_metadata_wins_over_text(tmp_path):
    record = {"id": "m", "text": "Text Title\n\nBy Jane Doe\n\nThey met.", "title": "Given",
              "author": "John Roe", "publisher": "Example Wire", "place": "Oslo"}
    docs, _ = collect([write(tmp_path, "m.jsonl", json.dumps(record))])
    doc = docs[0]
    assert (doc.title, doc.author, doc.publisher, doc.place) == (
        "Given", "John Roe", "Example Wire", "Oslo")
    assert doc.text[doc.body_start:] == "They met."


def test_ingest_jsonl_line_over_limit(tmp_path):
    big = json.dumps({"id": "big", "text": "word " * 400})
    small = json.dumps({"id": "small", "text": "They met."})
    path = write(tmp_path, "lines.jsonl", f"{big}\n{small}\n")
    docs, errors = collect([path], max_bytes=1000)
    assert [d.id for d in docs] == ["small"]
    assert errors == [f"{path}:1: line is 2 kB, over the 1 kB limit for one article "
                      "(--max-bytes)"]


def test_ingest_empty_jsonl_is_error(tmp_path):
    path = write(tmp_path, "none.jsonl", "\n\n")
    assert collect([path]) == ([], [f"{path}: empty file"])


def test_ingest_read_document_refuses_jsonl(tmp_path):
    path = write(tmp_path, "many.jsonl", json.dumps({"id": "a", "text": "x"}))
    with pytest.raises(InputError, match="holds many articles"):
        read_document(path)


# ---- bad inputs


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\r\n", "only whitespace, no text"),
    ("nul.txt", b"They met.\x00\x01\x02", "binary file, not text (control characters)"),
    ("noise.txt", bytes(range(1, 32)) * 10 + b"abc", "binary file, not text (control characters)"),
    ("nul.jsonl", b"\x00\x01{}\n", "binary file, not text (NUL bytes)"),
])
def test_ingest_bad_file_is_one_line_error(tmp_path, name, content, problem):
    path = write(tmp_path, name, content)
    docs, errors = collect([path])
    assert docs == [] and errors == [f"{path}: {problem}"]


def test_ingest_missing_file_is_error(tmp_path):
    missing = tmp_path / "gone.txt"
    assert collect([missing]) == ([], [f"{missing}: no such file or directory"])
    with pytest.raises(InputError, match=r"gone\.txt: no such file or directory$"):
        read_document(missing)


def test_ingest_directory_to_read_document_is_error(tmp_path):
    with pytest.raises(InputError, match="not a regular file"):
        read_document(tmp_path)


def test_ingest_file_over_limit(tmp_path):
    path = write(tmp_path, "big.txt", "word " * 500_000)
    docs, errors = collect([path], max_bytes=2_000_000)
    assert docs == []
    assert errors == [f"{path}: file is 2.5 MB, over the 2 MB limit for one article "
                      "(--max-bytes)"]
    assert read_document(path, max_bytes=3_000_000).text.startswith("word")


def test_ingest_unreadable_file_is_error(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", "They met.")
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert collect([path]) == ([], [f"{path}: permission denied"])


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads files whatever their mode")
def test_ingest_unreadable_file_mode_is_error(tmp_path):
    path = write(tmp_path, "locked.txt", "They met.")
    path.chmod(0)
    assert collect([path]) == ([], [f"{path}: permission denied"])


def test_ingest_raises_without_on_error(tmp_path):
    write(tmp_path, "a.txt", "")
    write(tmp_path, "b.txt", "They met.")
    with pytest.raises(InputError, match=r"a\.txt: empty file"):
        list(read_documents([tmp_path]))


def test_ingest_bad_files_do_not_stop_others(tmp_path):
    write(tmp_path, "a.txt", "First good one.")
    write(tmp_path, "b.txt", b"\x00\x00")
    write(tmp_path, "c.jsonl", '{"id": "c1", "text": "Good line."}\n{broken\n')
    write(tmp_path, "d.txt", "   ")
    write(tmp_path, "e.txt", "Last good one.")
    docs, errors = collect([tmp_path / "missing", tmp_path])
    assert [d.id for d in docs] == ["a", "c1", "e"]
    assert len(errors) == 4
    assert all("\n" not in e and not e.endswith(".") for e in errors)


def test_ingest_directory_symlink_loop_terminates(tmp_path):
    write(tmp_path, "corpus/a.txt", "They met.")
    (tmp_path / "corpus" / "again").symlink_to(tmp_path / "corpus", target_is_directory=True)
    (tmp_path / "corpus" / "self.txt").symlink_to(tmp_path / "corpus" / "self.txt")
    (tmp_path / "corpus" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    docs, errors = collect([tmp_path / "corpus"])
    assert [d.id for d in docs] == ["a"]
    corpus = tmp_path / "corpus"
    assert errors == [f"{corpus / 'again'}: directory symlink loop, skipped",
                      f"{corpus / 'dangling.txt'}: broken symlink (to {tmp_path / 'nowhere.txt'})",
                      f"{corpus / 'self.txt'}: symlink loop"]


def test_ingest_symlinked_directory_is_followed(tmp_path):
    write(tmp_path, "real/a.txt", "They met.")
    write(tmp_path, "corpus/b.txt", "They left.")
    (tmp_path / "corpus" / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    docs, errors = collect([tmp_path / "corpus"])
    assert [d.id for d in docs] == ["b", "a"] and errors == []


# ---- encodings


def test_ingest_utf8_bom_is_not_text(tmp_path):
    path = write(tmp_path, "bom.txt", "\ufeffThey met in Malmö.".encode())
    doc = read_document(path)
    assert doc.text == "They met in Malmö."


def test_ingest_cp1252_smart_quotes(tmp_path, caplog):
    path = write(tmp_path, "quotes.txt", "\u201cWe agree,\u201d she said.".encode("cp1252"))
    with caplog.at_level(logging.INFO, logger="kg.ingest"):
        doc = read_document(path)
    assert doc.text == "\u201cWe agree,\u201d she said."
    assert f"{path}: not UTF-8, read as cp1252" in caplog.text


def test_ingest_latin1_fallback(tmp_path, caplog):
    # 0x81 is undefined in cp1252, so only latin-1 decodes it: a C1 control, blanked
    path = write(tmp_path, "old.txt", b"Caf\xe9 talks \x81ended.")
    with caplog.at_level(logging.INFO, logger="kg.ingest"):
        doc = read_document(path)
    assert doc.text == "Caf\xe9 talks  ended."
    assert "read as cp1252" in caplog.text


def test_ingest_utf16_with_bom(tmp_path):
    path = write(tmp_path, "wide.txt", "They met in Malmö.".encode("utf-16"))
    assert read_document(path).text == "They met in Malmö."


def test_ingest_byline_staff_title_and_agency_line():
    text = ("Talks Resume in Geneva\n\nBy Jane Doe\nGlobe Staff Writer\n\n"
            "GENEVA, March 3 -- Negotiators met again.\n")
    doc = parse_article(text, doc_id="g")
    assert (doc.author, doc.author_role, doc.publisher) == ("Jane Doe", "Staff Writer", "Globe")
    assert doc.byline == "By Jane Doe\nGlobe Staff Writer"
    assert text[doc.byline_start:doc.byline_start + len(doc.byline)] == doc.byline
    agency = parse_article("Headline Here\n\nBy Ann Lee\nkg wire\n\nOSLO -- It began.\n",
                           doc_id="h")
    assert agency.publisher == "kg wire"
    assert agency.place == "Oslo"


def test_ingest_directory_skips_readme(tmp_path):
    (tmp_path / "README.md").write_text("# About this corpus\n\nNotes for people.\n")
    (tmp_path / "story.txt").write_text("Ministers met in Oslo.\n")
    assert [d.id for d in read_documents([tmp_path])] == ["story"]
    explicit = list(read_documents([tmp_path / "README.md"]))
    assert [d.id for d in explicit] == ["README"]


# ---- issue #11: saved web pages; issue #12: ids, metadata hashes, bad bytes

HTML_DIR = Path(__file__).resolve().parent / "data" / "html"


def test_ingest_html_keeps_metadata_and_canonical_url():
    doc = read_document(HTML_DIR / "summit-talks.html")
    assert (doc.id, doc.title, doc.author, doc.publisher) == (
        "summit-talks", "Baltic Ministers Agree on Grid Link", "Marta Ilves", "The Northern Ledger")
    # the original publication date, not the later modification
    assert doc.published == "2019-03-14"
    assert doc.url == "https://ledger.example.org/world/2019/03/14/baltic-grid-link"
    assert doc.place == "Tallinn"
    body = doc.text[doc.body_start:]
    assert body.startswith("Estonia and Latvia agreed on Friday")
    # navigation, asides and the footer are not the article
    for boilerplate in ("Home", "Most read", "Hockey final", "Copyright"):
        assert boilerplate not in doc.text


def test_ingest_html_offsets_count_characters_of_the_extracted_text():
    doc = read_document(HTML_DIR / "summit-talks.html")
    sentence = "Latvia's minister, Ilze Berzina, welcomed the plan"
    start = doc.text.index(sentence)
    assert doc.text[start:start + len(sentence)] == sentence
    # paragraphs are separated by a blank line, so sentences never run across them
    assert "capital.\n\nThe Estonian minister" in doc.text


def test_ingest_html_json_ld_metadata_and_htm_suffix():
    doc = read_document(HTML_DIR / "fisheries.htm")
    assert (doc.author, doc.publisher, doc.published) == ("Per Holm", "Coastal Wire", "2019-11-02")
    assert "Reader comment" not in doc.text


def test_ingest_html_sidecar_wins_over_the_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes((HTML_DIR / "summit-talks.html").read_bytes())
    write(tmp_path, "page.meta.json", json.dumps({"publisher": "Ledger Online"}))
    assert read_document(page).publisher == "Ledger Online"


def test_ingest_html_without_article_text_is_one_line_error(tmp_path):
    path = write(tmp_path, "empty.html", "<html><head><title>x</title></head><body></body></html>")
    assert collect([path]) == ([], [f"{path}: no article text found in the page"])


def test_ingest_near_duplicate_is_read_once_naming_the_one_kept(caplog):
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        docs, errors = collect([HTML_DIR])
    assert errors == []
    assert [d.id for d in docs] == ["fisheries", "summit-talks"]
    messages = [r.getMessage() for r in caplog.records if "duplicate" in r.getMessage()]
    assert len(messages) == 1 and messages[0].endswith("kept summit-talks")
    assert "zz-summit-talks-reprint.html" in messages[0]


def test_ingest_exact_duplicate_text_and_markdown_read_once(tmp_path):
    write(tmp_path, "a.txt", "Talks Resume\n\nPoland and Lithuania resumed talks on Monday.\n")
    write(tmp_path, "b.md", "# Talks Resume\n\nPoland and **Lithuania** resumed talks on Monday.\n")
    docs, _ = collect([tmp_path])
    assert [d.id for d in docs] == ["a"]
    assert [d.id for d in collect([tmp_path], deduplicate=False)[0]] == ["a", "b"]


def test_ingest_different_articles_are_not_duplicates(tmp_path):
    write(tmp_path, "a.txt", " ".join(f"Poland said on day {i} that talks went well." for i in range(20)))
    write(tmp_path, "b.txt", " ".join(f"Russia said on day {i} that the plan was bad." for i in range(20)))
    assert len(collect([tmp_path])[0]) == 2


def test_ingest_issue_13_duplicates_found_once_their_bands_are_sorted_in(monkeypatch):
    """Band values go from a dict into a sorted array every ``_MERGE_EVERY``; duplicates are
    found on either side, an exact copy of a long article by its signature, and a
    duplicate names the article kept (the one sharing most signature values)."""
    monkeypatch.setattr(identity, "_MERGE_EVERY", 50)  # 16 bands: sorted in at the fourth
    articles = [" ".join(f"{country} said on day {i} that talks on {topic} went well."
                         for i in range(40)) for country, topic in
                [("Poland", "gas"), ("Russia", "oil"), ("Latvia", "fish"), ("Chile", "ore"),
                 ("Kenya", "tea"), ("Peru", "gold")]]
    duplicates = identity.Duplicates()
    for n, text in enumerate(articles):
        assert duplicates.kept(parse_article(text, doc_id=f"a{n}")) is None
    assert len(duplicates.bands.sorted) > 0 and duplicates.bands.recent
    for n, text in enumerate(articles):
        near = text.replace("day 3 ", "day three ", 1)
        assert duplicates.kept(parse_article(text, doc_id=f"copy{n}")).id == f"a{n}"
        assert duplicates.kept(parse_article(near, doc_id=f"near{n}")).id == f"a{n}"


def test_ingest_sidecar_edit_changes_the_content_hash_issue_12(tmp_path):
    """Issue #12 item 6: editing NAME.meta.json must not leave the article "unchanged"."""
    path = write(tmp_path, "a.txt", "Poland and Lithuania resumed talks.\n")
    before = read_document(path).content_hash
    write(tmp_path, "a.meta.json", json.dumps({"title": "Talks", "published": "2019-05-02"}))
    dated = read_document(path).content_hash
    write(tmp_path, "a.meta.json", json.dumps({"title": "Talks", "published": "2019-05-03"}))
    assert len({before, dated, read_document(path).content_hash}) == 3


def test_ingest_mixed_utf8_and_cp1252_repaired_with_the_line_issue_12(tmp_path, caplog):
    """Issue #12 item 9: no mojibake ("MÃ¼nchen"), a warning naming the file's line."""
    data = "Leaders met in München.\n".encode() + b"Then they flew to Z\xfcrich.\n"
    path = write(tmp_path, "mixed.txt", data)
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        doc = read_document(path)
    assert doc.text == "Leaders met in München.\nThen they flew to Zürich.\n"
    assert f"{path}:2: mixed UTF-8 and cp1252" in caplog.text


def test_ingest_stray_nul_byte_is_blanked_not_binary_issue_12(tmp_path, caplog):
    """Issue #12 item 9: one NUL byte must not lose a 3 kB article."""
    text = "Poland and Lithuania resumed talks on Monday. " * 60
    path = write(tmp_path, "nul.txt", text.encode()[:1500] + b"\x00\x1b" + text.encode()[1500:])
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        docs, errors = collect([path])
    assert errors == [] and len(docs) == 1
    assert "\x00" not in docs[0].text and len(docs[0].text) == len(text) + 2
    assert f"{path}:1: 2 control characters (such as 0x00) replaced by spaces" in caplog.text
