"""Secrets out of what we print and store: the token hidden, messages on one line, URLs without credentials."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Callable, Optional, Sequence, TextIO
from urllib.parse import urlsplit, urlunsplit

HIDDEN = "<hidden>"
# Shapes of a Pagure token in text we did not write (server replies, exception messages).
_TOKEN_SHAPED = re.compile(r"(?i:(authorization:?\s*token\s+))\S+|\b[A-Z0-9]{64}\b")


_SGR = re.compile("\x1b\\[[0-9;]*m")  # colour and style only
# What a terminal would act on rather than show: C0 controls but tab and newline, DEL, C1 controls,
# bidi overrides and isolates, and Unicode line separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def one_line(text: str, *secrets: Optional[str], limit: Optional[int] = None) -> str:
    """``text`` as one printable line without ``secrets`` or anything shaped like a token, cut at ``limit``."""
    text = hide(text, secrets)
    text = _TOKEN_SHAPED.sub(lambda m: (m.group(1) or "") + HIDDEN, text)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def hide(text: str, secrets: Sequence[Optional[str]]) -> str:
    """``text`` with every secret (longest first, so one inside another goes too) replaced by <hidden>."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def terminal_safe(text: str) -> str:
    """Control and bidi characters written as ``\\uXXXX`` escapes (still valid inside a JSON string)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class GuardedStream(io.TextIOBase):
    """What the CLI prints through: secrets hidden, control and bidi characters escaped.

    ``secrets`` is called once, at the first write (finding them may cost a git call). With
    ``keep_colour``, colour sequences (SGR, ``ESC [ … m``) pass; every other control character does not.
    """

    def __init__(self, stream: TextIO, secrets: Callable[[], Sequence[str]]) -> None:
        super().__init__()
        self._stream = stream
        self._find = secrets
        self._secrets: Optional[Sequence[str]] = None
        self.keep_colour = False  # set when the command colours its tables (--color)

    def write(self, text: str) -> int:
        size = len(text)
        if self._secrets is None:
            self._secrets = self._find()
        text = hide(text, self._secrets)
        if self.keep_colour:  # only SGR: it recolours text, it cannot move, clear, retitle or link
            parts = _SGR.split(text)
            codes = _SGR.findall(text) + [""]
            text = "".join(terminal_safe(part) + code for part, code in zip(parts, codes))
        else:
            text = terminal_safe(text)
        self._stream.write(text)
        return size

    def flush(self) -> None:
        # Also called when this wrapper is freed (IOBase.__del__ closes it): the stream below may be closed by then.
        if not getattr(self._stream, "closed", False):
            self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()  # io.UnsupportedOperation (an OSError) for a StringIO, as it should


def safe_url(url: Optional[str]) -> str:
    """The URL without user:password@ and without the query string."""
    try:
        parts = urlsplit(url or "")
    except ValueError:  # a broken [IPv6] host: cut the same parts by hand
        return re.sub(r"(//)[^/@]*@", r"\1", (url or "").split("?", 1)[0].split("#", 1)[0])
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
