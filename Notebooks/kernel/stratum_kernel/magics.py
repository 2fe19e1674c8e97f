"""Kernel magics: `%db PATH` lines at the top of a cell.

A magic line is replaced by spaces of the same length before the cell goes to the server, so the
line and column of every diagnostic, and completion offsets, still point into the cell as typed.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

KNOWN = ("%db",)


class MagicError(Exception):
    """A magic line the kernel cannot use; `line` is 1-based."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Cell:
    code: str  # what the server sees: magic lines blanked
    db: str | None = None  # the path given by `%db`, as written
    db_shown: bool = False  # `%db` with no path: show the current database
    magic_lines: set[int] = field(default_factory=set)  # 0-based

    @property
    def has_statements(self) -> bool:
        return bool(self.code.strip())


def parse_cell(source: str) -> Cell:
    """Split a cell into its magics and the code for the server; raises MagicError."""
    lines = source.split("\n")
    cell = Cell(code=source)
    in_header = True
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("%"):
            if stripped and not stripped.startswith("#"):
                in_header = False
            continue
        name, _, rest = stripped.partition(" ")
        if name not in KNOWN:
            raise MagicError(f"unknown magic {name}; the kernel knows {', '.join(KNOWN)}", number + 1)
        if not in_header:
            raise MagicError(f"{name} goes at the top of a cell, before any statement", number + 1)
        try:
            words = shlex.split(rest)
        except ValueError as error:
            raise MagicError(f"{name}: {error}", number + 1) from None
        if len(words) > 1:
            raise MagicError(f"{name} takes one path (quote a path with spaces)", number + 1)
        if words:
            cell.db = words[0]
        else:
            cell.db_shown = True
        cell.magic_lines.add(number)
        lines[number] = " " * len(line)
    cell.code = "\n".join(lines)
    return cell


def line_of_offset(source: str, offset: int) -> int:
    """The 0-based line that a 0-based character offset falls on."""
    return source.count("\n", 0, max(0, offset))
