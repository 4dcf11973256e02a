"""Find the article files under the paths given and read their bytes: directories walked
recursively in sorted order, symlinks followed but loops reported, sidecars and project
files (README, LICENSE) skipped, each file read at most once per run."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from kg.errors import InputError

logger = logging.getLogger(__name__)

# NAME.meta.json next to NAME.txt holds the article's metadata (kg.ingest.metadata)
SIDECAR_SUFFIX = ".meta.json"


def reason(err: OSError) -> str:
    """What went wrong reading a file, in a few lower-case words."""
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    return (err.strerror or type(err).__name__).lower()


def is_sidecar(path: Path) -> bool:
    """Tell whether a file is a metadata sidecar, never read as an article."""
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def expand(path: Path, seen_dirs: set[tuple[int, int]],
           suffixes: tuple[str, ...]) -> Iterator[Path | InputError]:
    """Yield the article files a path names, and an error for each bad one.

    A file named itself is yielded whatever its suffix; in a directory, only files with
    one of ``suffixes`` (lower-case, with the dot) are.
    """
    try:
        status = path.stat()
    except OSError as err:
        yield InputError(f"{path}: {link_problem(path, err)}")
        return
    if path.is_dir():
        key = (status.st_dev, status.st_ino)
        if key not in seen_dirs:
            seen_dirs.add(key)
            yield from _walk(path, (key,), seen_dirs, suffixes)
    elif is_sidecar(path):
        logger.debug("%s: a metadata sidecar, not an article", path)
    elif not path.is_file():
        yield InputError(f"{path}: not a regular file")
    else:
        yield path


def link_problem(path: Path, err: OSError) -> str:
    """What went wrong opening a path, naming a symlink loop or a broken symlink."""
    if err.errno == errno.ELOOP:
        return "symlink loop"
    if path.is_symlink():
        return f"broken symlink (to {os.readlink(path)})"
    return reason(err)


def _is_project_file(name: str) -> bool:
    """README, LICENSE and the like describe a corpus folder; they are not articles."""
    stem = name.rsplit(".", 1)[0].upper()
    return stem in ("README", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE", "CONTRIBUTING")


def _walk(directory: Path, ancestors: tuple[tuple[int, int], ...],
          seen_dirs: set[tuple[int, int]],
          suffixes: tuple[str, ...]) -> Iterator[Path | InputError]:
    """Yield the article files under a directory in sorted order, never looping."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as err:
        yield InputError(f"{directory}: cannot list directory ({reason(err)})")
        return
    for entry in entries:
        if entry.name.startswith(".") or _is_project_file(entry.name):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir():
                status = entry.stat()
                key = (status.st_dev, status.st_ino)
                if key in ancestors:
                    yield InputError(f"{path}: directory symlink loop, skipped")
                elif key in seen_dirs:
                    logger.info("%s: directory already read, skipped", path)
                else:
                    seen_dirs.add(key)
                    yield from _walk(path, (*ancestors, key), seen_dirs, suffixes)
            elif entry.is_file():
                if path.suffix.lower() in suffixes:
                    yield path
            elif entry.is_symlink() and path.suffix.lower() in ("", *suffixes):
                os.stat(path)  # raises for the broken link or loop it is
        except OSError as err:
            yield InputError(f"{path}: {link_problem(path, err)}")


def first_reading(path: Path, read_files: set[int]) -> bool:
    """Tell whether a file is read for the first time in this run."""
    try:
        status = path.stat()
    except OSError:
        return True  # reading it reports the problem
    # device and inode in one int: a third of the memory of a tuple, per file of the run
    key = status.st_dev << 64 | status.st_ino
    if key in read_files:
        logger.info("%s: already read in this run, skipped", path)
        return False
    read_files.add(key)
    return True


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a whole file no larger than max_bytes, or raise InputError."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            data = stream.read(max_bytes + 1) if size <= max_bytes else b""
            size = max(size, len(data))  # the file may have grown since fstat
    except OSError as err:
        raise InputError(f"{path}: {link_problem(path, err)}") from None
    if size > max_bytes:
        raise InputError(f"{path}: file is {format_size(size)}, over the "
                         f"{format_size(max_bytes)} limit for one article (--max-bytes)")
    return data


def format_size(count: int) -> str:
    """A byte count for a message: "20 MB", "1.5 kB", "12 bytes"."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if count >= scale:
            return f"{round(count / scale, 1):g} {unit}"
    return f"{count} bytes"

