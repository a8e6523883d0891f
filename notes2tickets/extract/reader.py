"""Finding notes files and reading them safely: size, binary and encoding checks."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from notes2tickets.errors import InputError

NOTE_SUFFIXES = (".md", ".markdown")
# Bytes sniffed for NUL characters: enough to catch images, archives, PDFs.
_SNIFF_BYTES = 8192
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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
    if path.is_dir():
        files = sorted(
            p for p in path.rglob("*") if p.suffix.lower() in NOTE_SUFFIXES and p.is_file()
        )
        if not files:
            return [], InputError(f"{raw}: directory has no notes (*.md, *.markdown); name the files explicitly")
        return files, None
    if path.exists():
        return [path], None
    return [], InputError(f"{raw}: no such file or directory; check the path")


def read_note(path: Path, *, max_bytes: int, display: str) -> str:
    """Return the text of a notes file (UTF-8, BOM removed) or raise InputError."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{display}: file is too large ({_mib(size)}, limit {_mib(max_bytes)}); "
                "split it or raise max_file_bytes"
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{display}: is a directory, not a notes file") from None
    except OSError as exc:
        raise InputError(f"{display}: cannot read ({exc.strerror or exc}); check the path and permissions") from None
    return decode_note(data, display=display)


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
