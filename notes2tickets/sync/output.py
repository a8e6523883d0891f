"""Where a command's words go: results on stdout, warnings and progress on stderr, as loud as asked.

Quiet by default, loud on request: ``verbosity`` -1 (``-q``) keeps only results
and errors, 0 adds warnings and one summary line for notes files without items,
1 (``-v``) names each of those files and shows the full table in a real run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence, TextIO


@dataclass
class Output:
    out: TextIO
    err: TextIO
    verbosity: int = 0
    colour: bool = False
    columns: Optional[int] = None  # the terminal's width; None: as wide as the text needs
    warnings: list[str] = field(default_factory=list)  # every warning, for the JSON report

    def warn(self, text: str) -> None:
        self.warnings.append(text)
        if self.verbosity >= 0:
            self.err.write(f"warning: {text}\n")

    def error(self, text: str) -> None:
        self.err.write(f"error: {text}\n")

    def progress(self, text: str) -> None:
        if self.verbosity >= 0:
            self.err.write(text + "\n")

    def detail(self, text: str) -> None:
        """Only with ``-v``."""
        if self.verbosity >= 1:
            self.err.write(text + "\n")

    def empty_files(self, empty: Sequence[str]) -> None:
        """One line for every notes file without items (a folder of old notes would be a wall of them)."""
        if not empty:
            return
        if self.verbosity >= 1:
            for line in empty:
                self.warn(line)
            return
        noun = "notes file has" if len(empty) == 1 else "notes files have"
        hint = empty[0] if len(empty) == 1 else "-v lists them"
        self.warnings.extend(empty)
        if self.verbosity >= 0:
            self.err.write(f"note: {len(empty)} {noun} no action items: {hint}\n")
