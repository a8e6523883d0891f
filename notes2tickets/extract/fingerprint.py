"""The stable identity of an action item: a digest of its normalised action text.

The action text is the title with everything that says who, when or where the
item stands removed: owner phrases and metadata are taken out when the title is
built (``items``/``metadata``); here a leading owner name that stayed in the
title ("Dcavalca write the report", owner ``dcavalca``) is dropped too, so the
identity does not depend on whether the title keeps the name. For an item whose
title holds no owner name this is the 0.1.0 fingerprint, unchanged.

When one file holds the same action text more than once for different owners
or sections, each copy is qualified by that context (``qualified``); see
``dedup``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Sequence

# Anything that is not a letter or digit of any script separates words; this
# drops punctuation, markup characters and emoji in one pass.
_NON_WORD = re.compile(r"[\W_]+")
_ASCII_NON_WORD = bytes(code if chr(code).isalnum() else 32 for code in range(256))  # bytes.translate: fast

FINGERPRINT_LENGTH = 16


# Pure, and called for the same owner names and titles again and again: within a file (its items are
# built, then merged) and across files (owner names, headings). A few hundred entries hold that; a larger
# cache only keeps every title of a long run alive, and was measurably slower on the 3 MB bench corpus.
@lru_cache(maxsize=1024)
def normalise_title(title: str) -> str:
    """Return the comparison form of a title.

    NFKC-normalise, case-fold, turn every run of non-alphanumeric characters
    (punctuation, markup such as ``*``/``_``/``~``/backticks, emoji,
    whitespace) into one space, and trim. Owner phrases and metadata tokens
    are removed earlier, when the title is built.
    """
    if title.isascii():  # NFKC leaves ASCII as it is, casefold is lower(), every non-alphanumeric goes
        return " ".join(title.lower().encode("ascii").translate(_ASCII_NON_WORD).decode("ascii").split())
    text = unicodedata.normalize("NFKC", title).casefold()
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=1024)  # an item's title, action text and 0.1.0 form are often one string
def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def fingerprint(title: str) -> str:
    """Return 16 hex digits of the SHA-256 of the normalised title (the 0.1.0 fingerprint)."""
    return _digest(normalise_title(title))


def action_key(title: str, owners: Iterable[str] = ()) -> str:
    """The normalised action text: the title without a leading owner name."""
    return strip_owner(normalise_title(title), owner_names(owners))


def owner_names(owners: Iterable[str]) -> list[str]:
    """Normalised owner names, longest first: the form ``strip_owner`` takes (made once per file)."""
    return sorted({normalise_title(n) for n in owners} - {""}, key=len, reverse=True)


def strip_owner(key: str, names: Sequence[str]) -> str:
    """``key`` (normalised) without a leading name of ``names`` (from ``owner_names``)."""
    for name in names:
        if key.startswith(name + " "):
            return key[len(name) + 1:]
    return key


@lru_cache(maxsize=256)  # the items of a file share a few owners and sections
def owners_context(owners: tuple[str, ...]) -> str:
    return "owners:" + ",".join(sorted({normalise_title(n) for n in owners}))


@lru_cache(maxsize=256)
def section_context(section: tuple[str, ...]) -> str:
    return "section:" + " > ".join(normalise_title(s) for s in section)


def qualified(key: str, context: str) -> str:
    """The fingerprint of one of several copies of ``key`` in a file, told apart by ``context``."""
    return _digest(key + "\n" + context)


def legacy_forms(title: str, key: str, owners: Iterable[str]) -> list[str]:
    """Fingerprints 0.1.0 may have given this item: its title as is, or with the owner's name in front."""
    forms = [fingerprint(title)]
    for name in owners:
        owner = normalise_title(name)
        if owner:
            forms.append(_digest(f"{owner} {key}"))
    return forms
