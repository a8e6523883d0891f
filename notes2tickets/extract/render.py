"""Small Markdown writers for item descriptions."""

from __future__ import annotations

from typing import Any


def indent(text: str, prefix: str) -> str:
    """Prefix every line (blank lines too, so quotes stay quotes)."""
    return "\n".join(prefix + line if line or prefix.strip() else line for line in text.split("\n"))


def describe_code(token: dict[str, Any]) -> str:
    """A code block as a fenced block, whatever its original style."""
    info = token.get("attrs", {}).get("info", "")
    raw = token.get("raw", "").rstrip("\n")
    fence = "````" if "```" in raw else "```"
    return f"{fence}{info}\n{raw}\n{fence}"


def describe_html(token: dict[str, Any]) -> str:
    """Raw HTML kept as it was written."""
    return str(token.get("raw", "")).strip("\n")
