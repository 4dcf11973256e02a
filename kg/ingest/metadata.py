"""Metadata given from outside the text: the JSONL keys, or a sidecar ``NAME.meta.json``
next to a file, checked and normalised (``published`` becomes an ISO date)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.ingest.files import SIDECAR_SUFFIX, reason
from kg.ingest.header import parse_date

METADATA_KEYS = ("title", "author", "publisher", "published", "place", "url")


def read_sidecar(path: Path) -> dict[str, str]:
    """The checked metadata of ``NAME.meta.json`` next to ``path``, or {} without one.

    Raises:
        InputError: The sidecar is unreadable, not UTF-8, not a JSON object, or holds a
            value that is not a string or not a date.
    """
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        value = json.loads(sidecar.read_text(encoding="utf-8-sig"))
    except OSError as err:
        raise InputError(f"{sidecar}: {reason(err)}") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{sidecar}: not UTF-8 ({err.reason})") from None
    except json.JSONDecodeError as err:
        raise InputError(f"{sidecar}: not JSON: {err.msg} (line {err.lineno})") from None
    if not isinstance(value, dict):
        raise InputError(f"{sidecar}: not a JSON object")
    return check_metadata(value, str(sidecar))


def check_metadata(metadata: Mapping[str, Any], where: str) -> dict[str, str]:
    """Keep the known metadata keys with a value; make ``published`` an ISO date."""
    checked = {}
    for key in METADATA_KEYS:
        value = metadata.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(f"{where}: {key} is not a string")
        value = " ".join(value.split())
        if not value:
            continue
        if key == "published":
            iso = parse_date(value)
            if iso is None:
                raise InputError(f"{where}: published: cannot read {value!r} as a full date")
            value = iso
        checked[key] = value
    return checked

