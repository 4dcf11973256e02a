"""Checks on the gazetteer data files in kg/data: shape, unique keys, valid codes.

These read the TSV files directly, so they guard the data whatever loader reads it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
import pytest

DATA = Path(__file__).resolve().parents[1] / "kg" / "data"

COLUMNS = {
    "countries.tsv": ["iso2", "name", "wikidata", "cameo", "aliases", "demonyms", "capitals"],
    "organisations.tsv": ["name", "type", "wikidata", "cameo", "aliases"],
    "treaties.tsv": ["name", "wikidata", "aliases"],
    "titles.tsv": ["title", "canonical", "kind", "is_leader"],
}
# surface forms that must not belong to two entries of the same file
SURFACE_COLUMNS = {
    "countries.tsv": ["name", "aliases", "demonyms", "capitals"],
    "organisations.tsv": ["name", "aliases"],
    "treaties.tsv": ["name", "aliases"],
    "titles.tsv": ["title"],
}
TITLE_KINDS = {
    "head_of_state", "head_of_government", "minister", "official", "legislator", "diplomat",
    "military", "religious", "royal", "party", "journalist", "other", "honorific",
}
# iso2 codes outside ISO 3166-1: Kosovo's user-assigned code and withdrawn codes
NON_ISO_COUNTRIES = {"XK"}
QID = re.compile(r"^Q[0-9]+$")


def read_tsv(name: str) -> tuple[list[str], list[str], list[tuple[int, dict[str, str]]]]:
    """Return (comment lines, header, [(line number, row)]) of one data file."""
    comments: list[str] = []
    header: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    text = (DATA / name).read_text(encoding="utf-8")
    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line.startswith("#"):
            assert not header, f"{name}:{number}: comment after the header line"
            comments.append(line)
            continue
        cells = line.split("\t")
        if not header:
            header = cells
            continue
        assert len(cells) == len(header), f"{name}:{number}: {len(cells)} cells, want {len(header)}"
        rows.append((number, dict(zip(header, cells))))
    return comments, header, rows


def split_list(cell: str) -> list[str]:
    return [v for v in cell.split("|") if v] if cell else []


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_data_files_header_and_columns(name: str) -> None:
    comments, header, rows = read_tsv(name)
    assert header == COLUMNS[name]
    assert comments and comments[0].startswith(f"# {name}:"), "header must say what the file is"
    assert any("Columns" in c for c in comments)
    assert any("Source" in c for c in comments) and any("Licence" in c for c in comments)
    assert rows


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_data_files_cells_are_clean(name: str) -> None:
    _, header, rows = read_tsv(name)
    key = header[0]
    for number, row in rows:
        assert row[key], f"{name}:{number}: empty {key}"
        for column, cell in row.items():
            assert cell == cell.strip(), f"{name}:{number}: {column} has surrounding spaces"
            assert "||" not in cell and not cell.startswith("|") and not cell.endswith("|"), (
                f"{name}:{number}: {column} has an empty list value"
            )


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_data_files_no_surface_form_in_two_entries(name: str) -> None:
    _, header, rows = read_tsv(name)
    owner: dict[str, str] = {}
    for number, row in rows:
        entry = row[header[0]]
        forms = set()
        for column in SURFACE_COLUMNS[name]:
            forms.update(v.casefold() for v in split_list(row[column]))
        for form in forms:
            assert owner.setdefault(form, entry) == entry, (
                f"{name}:{number}: {form!r} is in {owner[form]!r} and {entry!r}"
            )


@pytest.mark.parametrize("name", ["countries.tsv", "organisations.tsv", "treaties.tsv"])
def test_data_files_wikidata_ids(name: str) -> None:
    _, _, rows = read_tsv(name)
    seen: dict[str, int] = {}
    for number, row in rows:
        qid = row["wikidata"]
        if qid:
            assert QID.match(qid), f"{name}:{number}: bad Q-id {qid!r}"
            assert qid not in seen, f"{name}:{number}: {qid} also on line {seen[qid]}"
            seen[qid] = number


def test_countries_iso2_valid() -> None:
    _, _, rows = read_tsv("countries.tsv")
    for number, row in rows:
        iso2 = row["iso2"]
        assert re.fullmatch(r"[A-Z]{2}", iso2), f"countries.tsv:{number}: bad iso2 {iso2!r}"
        if iso2 in NON_ISO_COUNTRIES:
            continue
        if pycountry.countries.get(alpha_2=iso2) is None:
            # a withdrawn code (Soviet Union) must be a real historic one and say so
            assert pycountry.historic_countries.get(alpha_2=iso2), f"countries.tsv:{number}: {iso2}"


def test_countries_cover_un_members_and_extras() -> None:
    _, _, rows = read_tsv("countries.tsv")
    codes = [row["iso2"] for _, row in rows]
    assert len(codes) == len(set(codes))
    # 193 UN members + Taiwan, Kosovo, Palestine, Vatican City, Soviet Union
    assert len(codes) == 198
    assert {"TW", "XK", "PS", "VA", "SU"} <= set(codes)


def test_countries_cameo_codes() -> None:
    _, _, rows = read_tsv("countries.tsv")
    for number, row in rows:
        if row["cameo"]:
            assert re.fullmatch(r"[A-Z]{3}", row["cameo"]), f"countries.tsv:{number}"


@pytest.mark.parametrize(
    ("surface", "iso2"),
    [
        ("Moscow", "RU"), ("Kremlin", "RU"), ("White House", "US"), ("U.S.", "US"),
        ("Polish", "PL"), ("Czechia", "CZ"), ("Azeri", "AZ"), ("Kyiv", "UA"),
        ("Downing Street", "GB"), ("Soviet", "SU"), ("Tbilisi", "GE"), ("Pyongyang", "KP"),
    ],
)
def test_countries_surface_forms_resolve(surface: str, iso2: str) -> None:
    _, _, rows = read_tsv("countries.tsv")
    owners = {
        row["iso2"]
        for _, row in rows
        for column in SURFACE_COLUMNS["countries.tsv"]
        if surface in split_list(row[column])
    }
    assert owners == {iso2}


def test_countries_georgia_is_only_the_country() -> None:
    _, _, rows = read_tsv("countries.tsv")
    holders = [row["iso2"] for _, row in rows if "Georgia" in split_list(row["aliases"])]
    assert holders == []


def test_organisations_type_and_cameo() -> None:
    _, _, rows = read_tsv("organisations.tsv")
    assert len(rows) >= 60
    for number, row in rows:
        assert row["type"] == "Organization", f"organisations.tsv:{number}"
        if row["cameo"]:
            assert re.fullmatch(r"[A-Z]{3,}", row["cameo"]), f"organisations.tsv:{number}"


def test_titles_kinds_and_leader_flag() -> None:
    _, _, rows = read_tsv("titles.tsv")
    assert len(rows) >= 100
    for number, row in rows:
        assert row["title"] == row["title"].lower(), f"titles.tsv:{number}: not lower-case"
        assert row["kind"] in TITLE_KINDS, f"titles.tsv:{number}: kind {row['kind']!r}"
        assert row["is_leader"] in {"yes", "no"}, f"titles.tsv:{number}"
    kinds = {row["title"]: row["kind"] for _, row in rows}
    assert kinds["mr."] == "honorific"
    assert kinds["president"] == "head_of_state"
