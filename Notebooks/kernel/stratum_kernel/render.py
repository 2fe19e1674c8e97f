"""Turning the server's outputs into Jupyter messages (pure functions, tested without a kernel)."""

from __future__ import annotations

import html
import json
import numbers

# A notebook is not a spreadsheet: past this many rows a table shows its head and says so.
MAX_ROWS = 1000


def output_messages(output: dict) -> list[tuple[str, dict]]:
    """The iopub messages `(msg_type, content)` that show one server output."""
    kind = output.get("kind")
    if kind == "table":
        return [("display_data", {"data": table_bundle(output), "metadata": {}})]
    if kind == "svg":
        svg = str(output.get("svg", ""))
        title = output.get("title")
        plain = f"[figure: {title}]" if title else "[figure]"
        return [("display_data", {"data": {"image/svg+xml": svg, "text/plain": plain}, "metadata": {}})]
    if kind == "text":
        text = str(output.get("text", ""))
        if not text.endswith("\n"):
            text += "\n"
        return [("stream", {"name": "stdout", "text": text})]
    # An output kind newer than this kernel: show what it is rather than drop it.
    dump = json.dumps(output, ensure_ascii=False, indent=1)
    return [("stream", {"name": "stdout", "text": f"(output of kind {kind!r})\n{dump}\n"})]


def table_bundle(table: dict) -> dict[str, str]:
    """A MIME bundle for a table output: escaped HTML and an aligned plain-text fallback."""
    return {"text/html": table_html(table), "text/plain": table_text(table)}


def _shape(table: dict) -> tuple[str, list[str], list[list], int]:
    title = str(table.get("title") or "")
    columns = [str(c) for c in table.get("columns") or []]
    rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in table.get("rows") or []]
    return title, columns, rows[:MAX_ROWS], len(rows)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _more_rows_note(shown: int, total: int) -> str:
    return f"showing the first {shown:,} of {total:,} rows" if total > shown else ""


def table_html(table: dict) -> str:
    title, columns, rows, total = _shape(table)
    width = max([len(columns)] + [len(r) for r in rows])
    parts = ['<table class="stratum-table">']
    if title:
        parts.append(f"<caption>{html.escape(title)}</caption>")
    if columns:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        parts.append(f"<thead><tr>{head}</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        cells = []
        for i in range(width):
            value = row[i] if i < len(row) else None
            align = ' style="text-align: right"' if _is_number(value) else ""
            cells.append(f"<td{align}>{html.escape(_cell(value))}</td>")
        parts.append(f"<tr>{''.join(cells)}</tr>")
    parts.append("</tbody></table>")
    note = _more_rows_note(len(rows), total)
    if note:
        parts.append(f"<p><em>{html.escape(note)}</em></p>")
    return "".join(parts)


def table_text(table: dict) -> str:
    title, columns, rows, total = _shape(table)
    width = max([len(columns)] + [len(r) for r in rows])
    header = columns + [""] * (width - len(columns))
    body = [[_cell(r[i]) if i < len(r) else "" for i in range(width)] for r in rows]
    numeric = [
        bool(rows) and all(_is_number(r[i]) or r[i] is None for r in rows if i < len(r))
        for i in range(width)
    ]
    widths = [max([len(header[i])] + [len(b[i]) for b in body]) for i in range(width)]

    def line(cells: list[str]) -> str:
        padded = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)]
        return "  ".join(padded).rstrip()

    lines = [title] if title else []
    if columns:
        lines.append(line(header))
        lines.append("  ".join("-" * w for w in widths))
    lines.extend(line(b) for b in body)
    note = _more_rows_note(len(rows), total)
    if note:
        lines.append(f"({note})")
    return "\n".join(lines)


def error_content(error: dict) -> dict:
    """`ename`/`evalue`/`traceback` for a failed execute: the rendered diagnostic, line by line."""
    message = str(error.get("message") or "error")
    rendered = error.get("rendered")
    traceback = str(rendered).split("\n") if rendered else [message]
    return {"ename": "StratumError", "evalue": message, "traceback": traceback}
