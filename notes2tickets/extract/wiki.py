"""Wiki-style minutes (MediaWiki, as MeetBot and the Fedora wiki write them) read as Markdown, line for line.

``== Action items ==`` headings, ``*``/``#`` list prefixes (``**`` one level
deeper), ``'''bold'''``/``''italic''`` and ``[[Page|label]]`` links are rewritten
into Markdown in place, so every item keeps its line number. A Markdown file
that merely uses ``== Actions ==`` lines as headings gets only those rewritten.
"""

from __future__ import annotations

import re

from .reader import name_and_suffix

WIKI_SUFFIXES = (".wiki", ".mediawiki", ".mw")
_HEADING = re.compile(r"^(={1,6})[ \t]*([^=\n].*?)[ \t]*\1[ \t]*$")
_HEADING_HINT = re.compile(r"^={2,6}[ \t]*[^=\n].*?={2,6}[ \t]*$", re.MULTILINE)
_WIKI_ONLY = re.compile(r"'''|''[A-Z]|\[\[[^\]\n]+\]\]|^[*#]{2,}[ \t]|^<pre>", re.MULTILINE)
_LIST = re.compile(r"^(?P<prefix>[*#:;]+)[ \t]*(?P<text>.*)$")
_WIDTH = {"*": 2, "#": 3, ":": 2, ";": 2}
_BOLD = re.compile(r"'''(.+?)'''")
_ITALIC = re.compile(r"''(.+?)''")
_PAGE_LINK = re.compile(r"\[\[(?:[^|\]\n]*\|)?([^\]\n]+)\]\]")
_URL_LINK = re.compile(r"\[(https?://[^\s\]]+)[ \t]+([^\]\n]+)\]")


def wiki_mode(text: str, path: str) -> str:
    """"wiki" for wiki markup, "headings" for Markdown with ``== X ==`` headings, "" for neither."""
    if name_and_suffix(path)[1] in WIKI_SUFFIXES:
        return "wiki"
    if "==" not in text or _HEADING_HINT.search(text) is None:
        return ""
    return "wiki" if _WIKI_ONLY.search(text) else "headings"


def wiki_to_markdown(lines: list[str], mode: str) -> list[str]:
    """The same number of lines, wiki headings (and in "wiki" mode lists and inline markup) as Markdown."""
    out = []
    in_pre = False
    for row in lines:
        heading = _HEADING.match(row)
        if heading:
            out.append("#" * len(heading.group(1)) + " " + heading.group(2))
        elif mode != "wiki":
            out.append(row)
        elif row.strip() in ("<pre>", "</pre>"):
            in_pre = row.strip() == "<pre>"
            out.append("```")
        else:
            out.append(row if in_pre else _inline(_list(row)))
    return out


def _list(row: str) -> str:
    match = _LIST.match(row)
    if match is None:
        return row
    prefix = match.group("prefix")
    indent = " " * sum(_WIDTH[char] for char in prefix[:-1])
    last = prefix[-1]
    bullet = {"*": "- ", "#": "1. "}.get(last, "  ")
    return indent + bullet + match.group("text")


def _inline(row: str) -> str:
    if "'" in row:
        row = _ITALIC.sub(r"*\1*", _BOLD.sub(r"**\1**", row))
    if "[" in row:
        row = _URL_LINK.sub(r"[\2](\1)", _PAGE_LINK.sub(r"\1", row))
    return row
