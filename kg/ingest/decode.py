"""Decode the bytes of a file as text: UTF-8 (with or without BOM), UTF-16 with a BOM, or
byte by byte as cp1252 where it is not UTF-8; refuse binary data and blank stray control
characters, keeping offsets."""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from kg.errors import InputError

logger = logging.getLogger(__name__)

# share of control characters above which decoded bytes are not text
_MAX_CONTROL_SHARE = 0.1
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes, path: Path) -> str:
    """Decode file bytes as UTF-8, UTF-16 with a BOM, cp1252 or latin-1, or raise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{path}: binary file, not text (bad UTF-16)") from None
        return check_text(text, path)
    if data.count(b"\x00") > _MAX_CONTROL_SHARE * len(data):
        raise InputError(f"{path}: binary file, not text (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_mixed(data, path)
    return check_text(text, path)


def _decode_mixed(data: bytes, path: Path) -> str:
    """Decode bytes that are not all UTF-8: every valid UTF-8 sequence as UTF-8, every
    other byte as cp1252 (latin-1 for the five bytes cp1252 leaves undefined).

    A file pasted together from UTF-8 and cp1252 sources ("München" in one, "Zürich" in
    the other) would otherwise read as mojibake ("MÃ¼nchen") and make a second actor.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    parts: list[str] = []
    lines: list[int] = []  # lines holding bytes read as cp1252
    has_utf8 = False
    position = 0
    while position < len(data):
        try:
            parts.append(data[position:].decode("utf-8"))
            has_utf8 = has_utf8 or any(b >= 0x80 for b in data[position:])
            break
        except UnicodeDecodeError as err:
            good = data[position:position + err.start]
            parts.append(good.decode("utf-8"))
            has_utf8 = has_utf8 or any(b >= 0x80 for b in good)
            bad = position + err.start
            end = position + err.end
            for offset in range(bad, end):
                byte = data[offset:offset + 1]
                try:
                    parts.append(byte.decode("cp1252"))
                except UnicodeDecodeError:
                    parts.append(byte.decode("latin-1"))
            line = data.count(b"\n", 0, bad) + 1
            if not lines or lines[-1] != line:
                lines.append(line)
            position = end
    if has_utf8:
        more = f" (and on {len(lines) - 1} more lines)" if len(lines) > 1 else ""
        logger.warning("%s:%d: mixed UTF-8 and cp1252: bytes that are not UTF-8 read as "
                       "cp1252%s", path, lines[0], more)
    else:
        logger.info("%s: not UTF-8, read as cp1252", path)
    return "".join(parts)


def check_text(text: str, path: Path | str) -> str:
    """Refuse binary data and empty text; blank a few stray control characters."""
    controls = [m.start() for m in _CONTROL.finditer(text)]
    if len(controls) > _MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{path}: binary file, not text (control characters)")
    if controls:
        # a stray NUL or escape byte must not lose the article: blank it (a space keeps
        # every offset where it was) and say where
        line = text.count("\n", 0, controls[0]) + 1
        logger.warning("%s:%d: %d control characters (such as 0x%02x) replaced by spaces", path,
                       line, len(controls), ord(text[controls[0]]))
        text = _CONTROL.sub(" ", text)
    if not text.strip():
        raise InputError(f"{path}: only whitespace, no text" if text else f"{path}: empty file")
    return text

