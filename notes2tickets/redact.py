"""Secrets out of what we print and store: the token hidden, messages on one line, URLs without credentials."""

from __future__ import annotations

import re
import unicodedata
from typing import Optional
from urllib.parse import urlsplit, urlunsplit

HIDDEN = "<hidden>"
# Shapes of a Pagure token in text we did not write (server replies, exception messages).
_TOKEN_SHAPED = re.compile(r"(?i:(authorization:?\s*token\s+))\S+|\b[A-Z0-9]{64}\b")


def one_line(text: str, secret: Optional[str] = None, *, limit: Optional[int] = None) -> str:
    """``text`` as one printable line without ``secret`` or anything shaped like a token, cut at ``limit``."""
    if secret:
        text = text.replace(secret, HIDDEN)
    text = _TOKEN_SHAPED.sub(lambda m: (m.group(1) or "") + HIDDEN, text)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def safe_url(url: Optional[str]) -> str:
    """The URL without user:password@ and without the query string."""
    try:
        parts = urlsplit(url or "")
    except ValueError:  # a broken [IPv6] host: cut the same parts by hand
        return re.sub(r"(//)[^/@]*@", r"\1", (url or "").split("?", 1)[0].split("#", 1)[0])
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
