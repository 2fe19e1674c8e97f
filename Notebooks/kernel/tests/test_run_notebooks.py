"""scripts/run-notebooks.py against the mock server: what passes, and how a failure is named."""

from __future__ import annotations

import subprocess
import sys
import unittest

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from support import REPO, Store, require_kernel_spec

SCRIPT = REPO / "scripts" / "run-notebooks.py"

DEFINE = 'valueset Diabetes = snomed:44054006\ncohort T2D "T2D"\n  entry first condition in Diabetes'


def cell(source: str, tags=(), contains=None):
    c = new_code_cell(source)
    if tags:
        c.metadata["tags"] = list(tags)
    if contains is not None:
        c.metadata["stratum"] = {"expect_contains": contains}
    return c


def setUpModule():
    require_kernel_spec()


class RunNotebooks(unittest.TestCase):
    def setUp(self):
        self.store = Store()
        self.out = self.store.dir / "out"

    def tearDown(self):
        self.store.cleanup()

    def run_script(self, **notebooks):
        paths = []
        for name, cells in notebooks.items():
            path = self.store.dir / f"{name}.ipynb"
            nbformat.write(new_notebook(cells=cells), path)
            paths.append(str(path))
        return subprocess.run(
            [sys.executable, str(SCRIPT), *paths, "--out", str(self.out)],
            env=self.store.env(),
            capture_output=True,
            text=True,
            timeout=180,
        )

    def test_a_good_notebook_passes_and_its_executed_copy_is_written(self):
        result = self.run_script(good=[
            new_markdown_cell("# A tour"),
            cell(DEFINE, contains="cohort T2D:"),
            cell("count T2D by sex", tags=["expect-table"], contains=["female", "persons"]),
            cell("count T2E", tags=["raises-exception"], contains="did you mean 'T2D'"),
        ])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("notebooks: 1 passed, 0 failed", result.stdout)
        executed = nbformat.read(self.out / "good.ipynb", as_version=4)
        self.assertIn("<table", executed.cells[2].outputs[0].data["text/html"])
        self.assertEqual(executed.cells[3].outputs[0].output_type, "error")

    def test_an_error_names_the_notebook_and_the_cell(self):
        result = self.run_script(bad=[cell(DEFINE), cell("# the typo\ncount T2E by sex")])
        self.assertEqual(result.returncode, 1)
        self.assertIn("notebooks: 0 passed, 1 failed", result.stdout)
        self.assertIn("FAIL ", result.stderr)
        self.assertIn("bad.ipynb: cell 2 ('# the typo'): StratumError: unknown cohort 'T2E'", result.stderr)
        self.assertIn("did you mean 'T2D'?", result.stderr)
        self.assertTrue((self.out / "bad.ipynb").exists())

    def test_output_expectations_are_checked(self):
        result = self.run_script(expectations=[
            cell(DEFINE, tags=["expect-table"]),
            cell("count T2D", contains="no such text"),
            cell("count T2D", tags=["raises-exception"]),
        ])
        self.assertEqual(result.returncode, 1)
        self.assertIn("cell 1 ('valueset Diabetes = snomed:44054006'): tagged expect-table "
                      "but showed no HTML table", result.stderr)
        self.assertIn("cell 2 ('count T2D'): expected its output to contain 'no such text'",
                      result.stderr)
        self.assertIn("cell 3 ('count T2D'): tagged raises-exception but raised nothing",
                      result.stderr)

    def test_each_notebook_is_judged_on_its_own(self):
        result = self.run_script(a_good=[cell("session")], b_bad=[cell("crash")])
        self.assertEqual(result.returncode, 1)
        self.assertIn("notebooks: 1 passed, 1 failed", result.stdout)
        self.assertIn("b_bad.ipynb: cell 1 ('crash'): StratumServerError", result.stderr)


class TourNotebook(unittest.TestCase):
    """The notebooks in the repo are valid and carry no outputs (they run for real elsewhere)."""

    def test_notebooks_are_valid_and_stored_without_outputs(self):
        notebooks = sorted((REPO / "Notebooks").glob("*.ipynb"))
        self.assertTrue(notebooks)
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
            self.assertEqual(nb.metadata.kernelspec.name, "stratum", path.name)
            for c in nb.cells:
                if c.cell_type == "code":
                    self.assertEqual(c.outputs, [], f"{path.name}: stored outputs")
                    self.assertIsNone(c.execution_count, f"{path.name}: stored execution count")


if __name__ == "__main__":
    unittest.main()
