"""Inline Markdown to plain text, keeping link targets and noting struck-through text."""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple


class PlainText(NamedTuple):
    """Plain text of inline tokens; ``urls`` are link targets in order."""

    text: str
    urls: tuple[str, ...]
    struck: bool  # some text was struck through (and left out)


def to_plain(tokens: Iterable[dict[str, Any]]) -> PlainText:
    """Flatten mistune inline tokens: struck-through text is dropped, markup removed."""
    parts: list[str] = []
    urls: list[str] = []
    struck = _flatten(tokens, parts, urls)
    return PlainText("".join(parts), tuple(urls), struck)


def _flatten(tokens: Iterable[dict[str, Any]], parts: list[str], urls: list[str]) -> bool:
    struck = False
    for token in tokens:
        kind = token["type"]
        if kind == "strikethrough":
            struck = True
        elif kind in ("text", "codespan"):
            parts.append(token.get("raw", ""))
        elif kind in ("softbreak", "linebreak"):
            parts.append(" ")
        elif kind in ("link", "image"):
            url = token.get("attrs", {}).get("url")
            if url:
                urls.append(url)
            struck = _flatten(token.get("children", ()), parts, urls) or struck
        elif "children" in token:
            struck = _flatten(token["children"], parts, urls) or struck
        # inline_html (tags, comments) carries no words of the title
    return struck
