"""The stable identity of an action item: a digest of its normalised title."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Anything that is not a letter or digit of any script separates words; this
# drops punctuation, markup characters and emoji in one pass.
_NON_WORD = re.compile(r"[\W_]+")

FINGERPRINT_LENGTH = 16


def normalise_title(title: str) -> str:
    """Return the comparison form of a title.

    NFKC-normalise, case-fold, turn every run of non-alphanumeric characters
    (punctuation, markup such as ``*``/``_``/``~``/backticks, emoji,
    whitespace) into one space, and trim. Owner phrases and metadata tokens
    are removed earlier, when the title is built.
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    return _NON_WORD.sub(" ", text).strip()


def fingerprint(title: str) -> str:
    """Return 16 hex digits of the SHA-256 of the normalised title."""
    digest = hashlib.sha256(normalise_title(title).encode("utf-8")).hexdigest()
    return digest[:FINGERPRINT_LENGTH]
