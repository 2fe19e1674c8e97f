#!/usr/bin/env python3
"""Execute the notebooks headless on the `stratum` kernel and check what they show.

    scripts/run-notebooks.py [NOTEBOOK.ipynb ...] [--out DIR] [--timeout SECONDS]

With no notebook named, runs every Notebooks/*.ipynb. Needs the kernel spec (`make
notebook-kernel`); run with any Python, it re-runs itself with the repo's .venv when it has to.
The kernel reads STRATUM_DB and STRATUM_BIN from the environment; relative paths in them are
taken from the current folder.

A notebook fails when a cell raises (unless the cell is tagged `raises-exception`, and then it
must raise), when a cell tagged `expect-table` shows no HTML table, or when a cell's metadata
`{"stratum": {"expect_contains": "text"}}` (a string or a list of strings) names text its outputs
do not contain. Executed copies go to .build/notebooks/ (or --out), never back into the repo.
Exit status: 0 all passed, 1 a notebook failed, 2 nothing to run or no kernel.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_PYTHON = REPO / ".venv" / "bin" / "python"

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
except ImportError:
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])
    sys.exit("run-notebooks: nbclient is missing; run `make notebook-kernel` first")

KERNEL = "stratum"


def absolute_env(name: str, may_be_command: bool = False) -> None:
    """The kernel runs in the notebook's folder: make a relative path absolute before it goes.

    A command name (no slash) in STRATUM_BIN is left for the kernel to find on PATH.
    """
    value = os.path.expanduser(os.environ.get(name, "").strip())
    if not value or os.path.isabs(value) or (may_be_command and os.sep not in value):
        return
    os.environ[name] = os.path.abspath(value)


def cell_label(index: int, cell) -> str:
    first = next((line for line in cell.source.splitlines() if line.strip()), "").strip()
    if len(first) > 60:
        first = first[:57] + "..."
    return f"cell {index + 1} ({first!r})" if first else f"cell {index + 1}"


def cell_text(cell) -> str:
    """Everything a cell showed, as text: streams, plain text, HTML, SVG, errors."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("display_data", "execute_result"):
            for mime in ("text/plain", "text/html", "image/svg+xml"):
                if mime in output.data:
                    parts.append(output.data[mime])
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}\n" + "\n".join(output.traceback))
    return "\n".join(parts)


def has_html_table(cell) -> bool:
    return any(
        output.output_type in ("display_data", "execute_result")
        and "<table" in output.get("data", {}).get("text/html", "")
        for output in cell.get("outputs", [])
    )


def has_error(cell) -> bool:
    return any(output.output_type == "error" for output in cell.get("outputs", []))


def check_outputs(nb) -> list[str]:
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        tags = cell.metadata.get("tags", [])
        label = cell_label(index, cell)
        if "raises-exception" in tags and not has_error(cell):
            problems.append(f"{label}: tagged raises-exception but raised nothing")
        if "expect-table" in tags and not has_html_table(cell):
            problems.append(f"{label}: tagged expect-table but showed no HTML table")
        wanted = cell.metadata.get("stratum", {}).get("expect_contains", [])
        text = cell_text(cell)
        for needle in [wanted] if isinstance(wanted, str) else wanted:
            if needle not in text:
                problems.append(f"{label}: expected its output to contain {needle!r}")
    return problems


def run_notebook(path: Path, out_dir: Path, timeout: int) -> list[str]:
    """Execute one notebook, write the executed copy, return its problems (empty: it passed)."""
    nb = nbformat.read(path, as_version=4)
    current = {"index": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=on_cell_start,
    )
    problems = []
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        index = current["index"]
        where = cell_label(index, nb.cells[index]) if index is not None else "before the first cell"
        if isinstance(error, CellExecutionError):
            detail = f"{error.ename}: {error.evalue}"
            if error.traceback:
                detail += "\n" + "\n".join("    " + line for line in error.traceback.split("\n"))
        elif isinstance(error, CellTimeoutError):
            detail = f"no result within {timeout} s"
        else:
            detail = f"the kernel died: {error}"
        problems.append(f"{where}: {detail}")
    except Exception as error:  # a kernel that would not start, say
        problems.append(f"could not run: {type(error).__name__}: {error}")
    else:
        problems.extend(check_outputs(nb))
    finally:
        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_dir / path.name)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: Notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=REPO / ".build" / "notebooks")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    args = parser.parse_args()

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        print(f"run-notebooks: no '{KERNEL}' kernel for {sys.executable}; "
              "run `make notebook-kernel` first", file=sys.stderr)
        return 2
    notebooks = args.notebooks or sorted((REPO / "Notebooks").glob("*.ipynb"))
    if not notebooks:
        print("run-notebooks: no notebooks to run", file=sys.stderr)
        return 2
    absolute_env("STRATUM_DB")
    absolute_env("STRATUM_BIN", may_be_command=True)

    failed = 0
    for path in notebooks:
        path = path.resolve()
        try:
            shown = path.relative_to(REPO)
        except ValueError:
            shown = path
        print(f"== {shown}", flush=True)
        problems = run_notebook(path, args.out, args.timeout)
        if problems:
            failed += 1
            for problem in problems:
                print(f"FAIL {shown}: {problem}", file=sys.stderr, flush=True)
        else:
            print(f"ok   {shown}", flush=True)
    print(f"executed copies in {args.out}")
    print(f"notebooks: {len(notebooks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
