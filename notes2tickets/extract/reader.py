"""Finding notes files and reading them safely: size, binary and encoding checks."""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Sequence

from notes2tickets.errors import InputError

NOTE_SUFFIXES = (".md", ".markdown")
# Bytes sniffed for NUL characters: enough to catch images, archives, PDFs.
_SNIFF_BYTES = 8192
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@lru_cache(maxsize=16)  # asked three or four times for each file read (its kind, its meeting's date)
def name_and_suffix(path: str) -> tuple[str, str]:
    """The file name of ``path`` and its lower-cased suffix, as ``PurePath`` reads them (string operations:
    building a ``PurePath`` cost more than reading a small file; a test compares the two)."""
    name = os.path.basename(path.rstrip(os.sep))
    if name in (".", ".."):  # PurePath drops "." parts and keeps "..": leave such paths to it
        pure = PurePath(path)
        return pure.name, pure.suffix.lower()
    dot = name.rfind(".")
    return name, name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def find_notes(paths: Sequence[str]) -> tuple[list[Path], list[InputError]]:
    """Expand files and directories into notes files, in the order given.

    Directories contribute their ``*.md`` and ``*.markdown`` files,
    recursively and sorted; a file named explicitly is kept whatever its
    extension. A path counted twice is kept once.
    """
    found: list[Path] = []
    errors: list[InputError] = []
    seen: set[Path] = set()
    for raw in paths:
        files, error = _expand(Path(raw), raw)
        if error is not None:
            errors.append(error)
        for file in files:
            if file not in seen:
                seen.add(file)
                found.append(file)
    return found, errors


def _expand(path: Path, raw: str) -> tuple[list[Path], InputError | None]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return [], InputError(f"{raw}: no such file or directory; check the path")
    except OSError as exc:  # e.g. a folder on the way that cannot be searched
        return [], InputError(f"{raw}: cannot read ({exc.strerror or exc}); check the path and permissions")
    if not stat.S_ISDIR(mode):
        return [path], None  # read_note refuses what is not a regular file
    files, unreadable = _walk(path)
    if unreadable:
        where, why = unreadable[0]
        more = f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
        return files, InputError(f"{where}: cannot read this folder of notes ({why}){more}; its notes were skipped: fix its permissions")
    if not files:
        return [], InputError(f"{raw}: directory has no notes (*.md, *.markdown); name the files explicitly")
    return files, None


def _walk(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Notes files under ``folder`` (symlinked folders are not followed: no loops), and the folders that could not be read."""
    unreadable: list[tuple[str, str]] = []

    def failed(exc: OSError) -> None:
        unreadable.append((str(exc.filename or folder), exc.strerror or type(exc).__name__))

    files = []
    for top, _dirs, names in os.walk(folder, onerror=failed):
        for name in names:
            candidate = Path(top, name)
            if candidate.suffix.lower() in NOTE_SUFFIXES and candidate.is_file():
                files.append(candidate)
    return sorted(files), unreadable


def read_note(path: Path, *, max_bytes: int, display: str) -> str:
    """Return the text of a notes file (UTF-8, BOM removed) or raise InputError.

    Only regular files are read, at most ``max_bytes`` of them: a FIFO would block for a writer and a
    device such as /dev/zero never ends. O_NONBLOCK keeps even a FIFO swapped in after the check from blocking.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            data = _read_regular(fd, max_bytes, display)
        finally:
            os.close(fd)
    except OSError as exc:
        raise InputError(f"{display}: cannot read ({exc.strerror or exc}); check the path and permissions") from None
    if len(data) > max_bytes:  # it grew since the check
        raise InputError(_too_large(display, len(data), max_bytes))
    return decode_note(data, display=display)


def _read_regular(fd: int, max_bytes: int, display: str) -> bytes:
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{display}: is a directory, not a notes file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{display}: is not a regular file (a FIFO, socket or device); name a notes file")
    if info.st_size > max_bytes:
        raise InputError(_too_large(display, info.st_size, max_bytes))
    chunks, size = [], 0
    while size <= max_bytes:
        chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_large(display: str, size: int, max_bytes: int) -> str:
    return f"{display}: file is too large ({_mib(size)}, limit {_mib(max_bytes)}); split it or raise max_file_bytes"


def decode_note(data: bytes, *, display: str) -> str:
    """Decode bytes as UTF-8 text, refusing binary and other encodings."""
    if data.startswith(_UTF16_BOMS):
        raise InputError(f"{display}: file is UTF-16; save it as UTF-8")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(f"{display}: looks like a binary file (NUL bytes), not text notes")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{display}: not valid UTF-8 (line {line}, byte offset {exc.start}); save the file as UTF-8"
        ) from None


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"
