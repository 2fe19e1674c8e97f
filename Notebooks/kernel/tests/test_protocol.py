"""The wire protocol of docs/PROTOCOL.md, checked against a server process directly (no Jupyter).

Runs against the mock by default. To check the real server:

    STRATUM_PROTOCOL_BIN=.build/release/stratum STRATUM_PROTOCOL_DB=demo/pop.sqlite \\
        .venv/bin/python Notebooks/kernel/tests/test_protocol.py

Only what any cohort language would do is assumed: an empty cell runs, `)))` is an error.
"""

from __future__ import annotations

import json
import os
import subprocess
import unittest

from support import MOCK, Store

BIN = os.environ.get("STRATUM_PROTOCOL_BIN") or str(MOCK)
DB = os.environ.get("STRATUM_PROTOCOL_DB")


class Server:
    def __init__(self, db: str):
        self.proc = subprocess.Popen(
            [BIN, "repl", "--db", db, "--protocol", "json"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )

    def line(self) -> dict:
        text = self.proc.stdout.readline()
        assert text.endswith("\n"), f"not a whole line: {text!r}"
        return json.loads(text)

    def send(self, request: dict) -> dict:
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self.line()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            stream.close()


class Protocol(unittest.TestCase):
    def setUp(self):
        self.store = Store()
        self.server = Server(DB or str(self.store.db))
        self.ready = self.server.line()

    def tearDown(self):
        self.server.close()
        self.store.cleanup()

    def test_the_first_line_says_ready_with_a_version(self):
        self.assertIs(self.ready["ready"], True)
        self.assertIsInstance(self.ready["version"], str)

    def test_an_empty_cell_succeeds_with_no_outputs(self):
        for code in ("", "\n  \n", "# only a comment\n"):
            response = self.server.send({"id": 7, "op": "execute", "code": code})
            self.assertEqual(response["id"], 7)
            self.assertIs(response["ok"], True)
            self.assertEqual(response["outputs"], [])
            self.assertIsInstance(response["elapsed_ms"], (int, float))

    def test_an_error_carries_message_rendered_text_and_positions(self):
        response = self.server.send({"id": 8, "op": "execute", "code": "\n# two\n   )))"})
        self.assertEqual(response["id"], 8)
        self.assertIs(response["ok"], False)
        error = response["error"]
        self.assertIsInstance(error["message"], str)
        self.assertTrue(error["rendered"].startswith("cell:3:4: error: "), error["rendered"])
        [first, *_] = error["diagnostics"]
        self.assertEqual((first["severity"], first["line"], first["column"]), ("error", 3, 4))
        self.assertIsInstance(first["message"], str)

    def test_complete_answers_with_matches_and_a_range(self):
        response = self.server.send({"id": 9, "op": "complete", "code": "", "cursor": 0})
        self.assertEqual(response["id"], 9)
        self.assertIs(response["ok"], True)
        self.assertIsInstance(response["matches"], list)
        self.assertEqual((response["cursor_start"], response["cursor_end"]), (0, 0))

    def test_an_unknown_op_is_an_error_and_the_session_goes_on(self):
        response = self.server.send({"id": 10, "op": "frobnicate"})
        self.assertEqual((response["id"], response["ok"]), (10, False))
        self.assertIsInstance(response["error"]["message"], str)
        self.assertIs(self.server.send({"id": 11, "op": "execute", "code": ""})["ok"], True)

    def test_shutdown_answers_then_exits_0(self):
        self.assertEqual(self.server.send({"id": 12, "op": "shutdown"}), {"id": 12, "ok": True})
        self.assertEqual(self.server.proc.wait(timeout=10), 0)

    def test_end_of_input_exits_0(self):
        self.server.proc.stdin.close()
        self.assertEqual(self.server.proc.wait(timeout=10), 0)


if __name__ == "__main__":
    unittest.main()
