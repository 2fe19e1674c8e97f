#!/usr/bin/env python3
"""A stand-in for `stratum repl --protocol json --db FILE` (docs/PROTOCOL.md), for the kernel's tests.

It speaks the protocol exactly and keeps definitions between requests, but its "language" is
canned: one statement per unindented line (indented lines and lines starting with ')' continue
it), recognised by its first word.

    valueset NAME = CODE, ...          defines a value set
    param NAME = ... / let NAME = ...  defines a parameter
    cohort NAME "title" [from COHORT]  defines a cohort; `in NAME` must name a value set,
                                       `from NAME` a cohort
    count COHORT [by A, B]             a table
    list COHORT [with A, B as C] [limit N]
    explain COHORT                     text and an SVG chart
    session                            text: pid, database and what is defined
    crash                              dies without answering (exit status 70)
    sleep SECONDS                      answers after a while
    junk                               writes a line that is not JSON on stdout, then answers
    # ...                              a comment

A cell is checked whole before anything in it runs, so a failing cell defines nothing.
Set MOCK_STRATUM_LOG to a file to have each request's op appended to it (and "eof").
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
import time

VERSION = "0.1.0"
KEYWORDS = sorted(
    """valueset param let cohort count list explain entry first last condition measurement
    procedure drug in require age at end of period from rule any all no during value by band
    with as limit sex""".split()
)
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class CellError(Exception):
    def __init__(self, diagnostics):
        super().__init__(diagnostics[0]["message"])
        self.diagnostics = diagnostics


class Session:
    def __init__(self, db: str):
        self.db = db
        self.valuesets: dict[str, str] = {}
        self.params: dict[str, str] = {}
        self.cohorts: dict[str, int] = {}  # name -> persons

    # -- execute --------------------------------------------------------------------------

    def execute(self, code: str) -> list[dict]:
        statements = split_statements(code)
        diagnostics = []
        pending_valuesets, pending_cohorts = set(), set()
        for stmt in statements:
            diagnostics += self.check(stmt, pending_valuesets, pending_cohorts)
        if diagnostics:
            raise CellError(diagnostics)
        outputs = []
        for stmt in statements:
            outputs += self.run(stmt)
        return outputs

    def check(self, stmt, valuesets, cohorts) -> list[dict]:
        lines, keyword = stmt["lines"], stmt["keyword"]
        problems = []
        known_keywords = {"valueset", "param", "let", "cohort", "count", "list", "explain",
                          "session", "crash", "sleep", "junk"}
        if keyword not in known_keywords:
            line, col = stmt["line"], stmt["column"]
            return [diagnostic(f"expected a statement, found '{keyword}'", line, col, len(keyword),
                               lines[0][1], suggest(keyword, sorted(known_keywords)))]
        if keyword == "valueset":
            valuesets.add(stmt["name"])
        if keyword == "cohort":
            cohorts.add(stmt["name"])
        for number, text in lines:
            for match in re.finditer(r"\bin\s+([A-Za-z_]\w*)", text):
                name = match.group(1)
                if name not in self.valuesets and name not in valuesets:
                    known = sorted(set(self.valuesets) | valuesets)
                    problems.append(diagnostic(f"unknown value set '{name}'", number,
                                               match.start(1) + 1, len(name), text,
                                               suggest(name, known)))
        refs = []
        if keyword in ("count", "list", "explain") and stmt["name"]:
            refs.append((stmt["line"], lines[0][1], stmt["name_column"], stmt["name"]))
        if keyword == "cohort":
            match = re.search(r"\bfrom\s+([A-Za-z_]\w*)", lines[0][1])
            if match:
                refs.append((stmt["line"], lines[0][1], match.start(1) + 1, match.group(1)))
        for number, text, col, name in refs:
            if name not in self.cohorts and name not in cohorts:
                known = sorted(set(self.cohorts) | cohorts)
                problems.append(diagnostic(f"unknown cohort '{name}'", number, col, len(name), text,
                                           suggest(name, known)))
        return problems

    def run(self, stmt) -> list[dict]:
        keyword, name, head = stmt["keyword"], stmt["name"], stmt["lines"][0][1]
        if keyword == "valueset":
            codes = head.partition("=")[2].split(",")
            self.valuesets[name] = head
            return [text(f"valueset {name}: {len(codes)} codes")]
        if keyword in ("param", "let"):
            self.params[name] = head.partition("=")[2].strip()
            return [text(f"{name} = {self.params[name]}")]
        if keyword == "cohort":
            parent = re.search(r"\bfrom\s+([A-Za-z_]\w*)", head)
            persons = (self.cohorts[parent.group(1)] // 3 if parent
                       else 1000 + sum(map(ord, name)) % 500)
            self.cohorts[name] = persons
            return [text(f"cohort {name}: {persons:,} persons")]
        if keyword == "count":
            return [self.count(name, head)]
        if keyword == "list":
            return [self.list(name, stmt["text"])]
        if keyword == "explain":
            return [text(f"cohort {name}: {self.cohorts[name]:,} persons\n"
                         "SELECT person_id FROM condition_occurrence WHERE ..."),
                    {"kind": "svg", "svg": attrition_svg(name, self.cohorts[name])}]
        if keyword == "session":
            return [text(f"session pid={os.getpid()} db={self.db} "
                         f"valuesets={','.join(sorted(self.valuesets))} "
                         f"cohorts={','.join(sorted(self.cohorts))}")]
        if keyword == "crash":
            print("mock_stratum: simulated crash", file=sys.stderr, flush=True)
            os._exit(70)
        if keyword == "sleep":
            time.sleep(float(name or head.split()[1]))
            return [text("slept")]
        if keyword == "junk":
            sys.stdout.write("this line is not JSON\n")
            sys.stdout.flush()
            return [text("wrote junk")]
        return []

    def count(self, name: str, head: str) -> dict:
        by = head.partition(" by ")[2]
        dims = [d.strip() for d in by.split(",") if d.strip()]
        columns, values = [], []
        for dim in dims:
            if dim == "sex":
                columns.append("sex"), values.append(["female", "male"])
            elif dim.startswith("age band"):
                columns.append("age band"), values.append(["18-27", "28-37", "38-47"])
            else:
                columns.append(dim), values.append(["a", "b"])
        rows = [[]]
        for vals in values:
            rows = [r + [v] for r in rows for v in vals]
        total = self.cohorts[name]
        rows = [r + [total // len(rows) + (i == 0) * (total % len(rows))] for i, r in enumerate(rows)]
        title = f"{name} by {', '.join(dims)}" if dims else name
        return {"kind": "table", "title": title, "columns": columns + ["persons"], "rows": rows}

    def list(self, name: str, source: str) -> dict:
        flat = " ".join(source.split())
        limit = re.search(r"\blimit\s+(\d+)", flat)
        items = flat.partition(" with ")[2]
        items = re.sub(r"\blimit\s+\d+", "", items)
        columns = ["person_id"]
        for item in [i.strip() for i in items.split(",") if i.strip()]:
            columns.append(item.rpartition(" as ")[2] if " as " in item else item)
        rows = []
        for i in range(min(int(limit.group(1)) if limit else 10, self.cohorts[name])):
            row = [1000 + i]
            for column in columns[1:]:
                if column == "age":
                    row.append(40 + (i * 7) % 45)
                elif column == "sex":
                    row.append(("female", "male")[i % 2])
                else:
                    row.append(None if i % 3 == 2 else round(9.1 + i * 0.4, 1))
            rows.append(row)
        return {"kind": "table", "title": f"{name} (first {len(rows)})", "columns": columns,
                "rows": rows}

    # -- complete -------------------------------------------------------------------------

    def complete(self, code: str, cursor: int) -> dict:
        word = re.search(r"[A-Za-z_][A-Za-z0-9_]*$", code[:cursor])
        prefix = word.group(0) if word else ""
        names = set(KEYWORDS) | set(self.valuesets) | set(self.cohorts) | set(self.params)
        return {"matches": sorted(n for n in names if n.startswith(prefix)),
                "cursor_start": cursor - len(prefix), "cursor_end": cursor}


def split_statements(code: str) -> list[dict]:
    statements = []
    for number, line in enumerate(code.split("\n"), start=1):
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped.strip():
            continue
        if statements and (line[0].isspace() or stripped.lstrip().startswith(")")):
            statements[-1]["lines"].append((number, line))
            statements[-1]["text"] += "\n" + stripped
            continue
        body = stripped.lstrip()
        indent = len(stripped) - len(body)
        keyword = body.split()[0]
        name_match = IDENT.match(stripped, indent + len(keyword) + 1)
        statements.append({
            "keyword": keyword, "line": number, "column": indent + 1,
            "name": name_match.group(0) if name_match else "",
            "name_column": name_match.start() + 1 if name_match else 0,
            "lines": [(number, line)], "text": stripped,
        })
    return statements


def suggest(name: str, known: list[str]) -> str | None:
    close = difflib.get_close_matches(name, known, n=1)
    return close[0] if close else None


def diagnostic(message, line, column, length, source_line, suggestion) -> dict:
    rendered = [f"cell:{line}:{column}: error: {message}", f"  {source_line}",
                "  " + " " * (column - 1) + "^" + "~" * (length - 1)]
    if suggestion:
        rendered.append(f"  did you mean '{suggestion}'?")
    return {"severity": "error", "message": message, "line": line, "column": column,
            "rendered": "\n".join(rendered)}


def text(value: str) -> dict:
    return {"kind": "text", "text": value}


def attrition_svg(name: str, persons: int) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40">'
            f'<rect x="0" y="5" width="200" height="12" fill="#4878a8"/>'
            f'<rect x="0" y="23" width="{max(1, persons * 200 // 2000)}" height="12" fill="#a85848"/>'
            f'<text x="205" y="34" font-size="10">{name}</text></svg>')


def failure(request_id, message: str, diagnostics=None) -> dict:
    diagnostics = diagnostics or []
    rendered = "\n".join(d.pop("rendered") for d in diagnostics) or f"error: {message}"
    return {"id": request_id, "ok": False,
            "error": {"message": message, "rendered": rendered, "diagnostics": diagnostics}}


def handle(session: Session, request) -> dict | None:
    if not isinstance(request, dict):
        return failure(None, "a request is one JSON object per line")
    request_id, op = request.get("id"), request.get("op")
    if op == "execute":
        code = request.get("code")
        if not isinstance(code, str):
            return failure(request_id, "execute needs \"code\", a string")
        started = time.perf_counter()
        try:
            outputs = session.execute(code)
        except CellError as error:
            return failure(request_id, str(error), error.diagnostics)
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        return {"id": request_id, "ok": True, "outputs": outputs, "elapsed_ms": elapsed}
    if op == "complete":
        code, cursor = request.get("code"), request.get("cursor")
        if not isinstance(code, str) or not isinstance(cursor, int) or not 0 <= cursor <= len(code):
            return failure(request_id, "complete needs \"code\" and a \"cursor\" within it")
        return {"id": request_id, "ok": True, **session.complete(code, cursor)}
    if op == "shutdown":
        return {"id": request_id, "ok": True}
    return failure(request_id, f"unknown op {op!r}")


def log(event: str) -> None:
    path = os.environ.get("MOCK_STRATUM_LOG")
    if path:
        with open(path, "a") as f:
            f.write(event + "\n")


def main(argv: list[str]) -> int:
    args = argv[1:]
    if args[:1] != ["repl"] or "--protocol" not in args or "--db" not in args:
        print("usage: mock_stratum.py repl --protocol json --db FILE", file=sys.stderr)
        return 2
    db = args[args.index("--db") + 1]
    if not os.path.isfile(db):
        print(f"error: cannot open the store {db}: no such file", file=sys.stderr)
        return 1
    print(f"mock_stratum: serving {db}", file=sys.stderr, flush=True)
    session = Session(db)
    sys.stdin.reconfigure(encoding="utf-8")
    out = sys.stdout
    out.reconfigure(encoding="utf-8")
    out.write(json.dumps({"ready": True, "version": VERSION}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError:
            request = None
        log(request.get("op", "?") if isinstance(request, dict) else "?")
        response = handle(session, request)
        out.write(json.dumps(response, ensure_ascii=False) + "\n")
        out.flush()
        if isinstance(request, dict) and request.get("op") == "shutdown":
            return 0
    log("eof")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
