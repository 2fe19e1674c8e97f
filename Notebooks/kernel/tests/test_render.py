"""Rendering server outputs (no kernel needed)."""

from __future__ import annotations

import sys
import unittest

from support import TESTS

sys.path.insert(0, str(TESTS.parent))

from stratum_kernel import render  # noqa: E402
from stratum_kernel.magics import MagicError, parse_cell  # noqa: E402

TABLE = {
    "kind": "table",
    "title": "T2D by sex",
    "columns": ["sex", "persons"],
    "rows": [["female", 12], ["male", 9]],
}


class Tables(unittest.TestCase):
    def test_html_has_caption_header_and_right_aligned_numbers(self):
        html = render.table_html(TABLE)
        self.assertEqual(
            html,
            '<table class="stratum-table"><caption>T2D by sex</caption>'
            "<thead><tr><th>sex</th><th>persons</th></tr></thead><tbody>"
            '<tr><td>female</td><td style="text-align: right">12</td></tr>'
            '<tr><td>male</td><td style="text-align: right">9</td></tr>'
            "</tbody></table>",
        )

    def test_html_escapes_everything_it_is_given(self):
        html = render.table_html(
            {"title": "<b>x</b>", "columns": ["a<b"], "rows": [["<script>alert(1)</script>&"]]}
        )
        self.assertNotIn("<script>", html)
        self.assertNotIn("<b>", html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;&amp;", html)
        self.assertIn("<th>a&lt;b</th>", html)

    def test_text_fallback_aligns_columns(self):
        self.assertEqual(
            render.table_text(TABLE),
            "T2D by sex\nsex     persons\n------  -------\nfemale       12\nmale          9",
        )

    def test_nulls_booleans_and_short_rows(self):
        table = {"columns": ["id", "hba1c", "flag"], "rows": [[1, None, True], [2]]}
        self.assertIn("<td></td>", render.table_html(table))
        self.assertIn("<td>true</td>", render.table_html(table))
        self.assertEqual(render.table_text(table).splitlines()[2], " 1         true")

    def test_long_tables_show_their_head_and_say_so(self):
        rows = [[i] for i in range(render.MAX_ROWS + 5)]
        html = render.table_html({"columns": ["n"], "rows": rows})
        self.assertEqual(html.count("<tr>"), render.MAX_ROWS + 1)
        self.assertIn("showing the first 1,000 of 1,005 rows", html)
        self.assertIn("(showing the first 1,000 of 1,005 rows)", render.table_text({"rows": rows}))


class Outputs(unittest.TestCase):
    def test_each_kind_becomes_its_message(self):
        [(kind, content)] = render.output_messages(TABLE)
        self.assertEqual(kind, "display_data")
        self.assertEqual(set(content["data"]), {"text/html", "text/plain"})

        [(kind, content)] = render.output_messages({"kind": "svg", "svg": "<svg/>"})
        self.assertEqual((kind, content["data"]["image/svg+xml"]), ("display_data", "<svg/>"))

        [(kind, content)] = render.output_messages({"kind": "text", "text": "cohort T2D: 5 persons"})
        self.assertEqual(content, {"name": "stdout", "text": "cohort T2D: 5 persons\n"})

    def test_an_unknown_kind_is_shown_not_dropped(self):
        [(kind, content)] = render.output_messages({"kind": "chart3d", "points": [1]})
        self.assertEqual(kind, "stream")
        self.assertIn("(output of kind 'chart3d')", content["text"])

    def test_error_traceback_is_the_rendered_diagnostic(self):
        content = render.error_content({"message": "m", "rendered": "cell:1:1: error: m\n  x\n  ^"})
        self.assertEqual(content["ename"], "StratumError")
        self.assertEqual(content["evalue"], "m")
        self.assertEqual(content["traceback"], ["cell:1:1: error: m", "  x", "  ^"])
        self.assertEqual(render.error_content({"message": "m"})["traceback"], ["m"])


class Magics(unittest.TestCase):
    def test_db_lines_are_blanked_keeping_positions(self):
        cell = parse_cell("# setup\n%db 'my store.sqlite'\ncount T2D")
        self.assertEqual(cell.db, "my store.sqlite")
        self.assertEqual(cell.code, "# setup\n" + " " * len("%db 'my store.sqlite'") + "\ncount T2D")
        self.assertEqual(cell.magic_lines, {1})

    def test_a_cell_of_only_magics_has_no_statements(self):
        self.assertFalse(parse_cell("%db x.sqlite\n").has_statements)
        self.assertTrue(parse_cell("%db").db_shown)

    def test_misplaced_or_unknown_magics_are_errors(self):
        with self.assertRaises(MagicError) as caught:
            parse_cell("count T2D\n%db x.sqlite")
        self.assertEqual(caught.exception.line, 2)
        with self.assertRaises(MagicError):
            parse_cell("%sql select 1")
        with self.assertRaises(MagicError):
            parse_cell("%db a b")


if __name__ == "__main__":
    unittest.main()
