"""The kernel end to end: jupyter_client talks to the installed `stratum` kernel, which runs the mock."""

from __future__ import annotations

import os
import signal
import time
import unittest

from support import KernelSession, Store, process_gone, require_kernel_spec

DEFINE = """\
valueset Diabetes = snomed:44054006, icd10cm:E11.*
cohort T2D "Adults with type 2 diabetes"
  entry first condition in Diabetes
  require age at entry >= 18
"""


def session_pid(reply) -> int:
    text = reply.stream()
    return int(text.split("pid=")[1].split()[0])


def setUpModule():
    require_kernel_spec()


class OneSession(unittest.TestCase):
    """Behaviour within one kernel whose server stays up."""

    @classmethod
    def setUpClass(cls):
        cls.store = Store()
        cls.kernel = KernelSession(cls.store.env(), stderr=cls.store.kernel_log())
        reply = cls.kernel.execute(DEFINE)
        assert reply.status == "ok", reply.content

    @classmethod
    def tearDownClass(cls):
        cls.kernel.close()
        cls.store.cleanup()

    def test_text_output_is_a_stdout_stream(self):
        reply = self.kernel.execute("valueset HbA1c = loinc:4548-4, loinc:17856-6")
        self.assertEqual(reply.status, "ok")
        self.assertEqual(reply.stream(), "valueset HbA1c: 2 codes\n")

    def test_table_renders_as_html_with_a_text_fallback(self):
        reply = self.kernel.execute("count T2D by sex")
        self.assertEqual(reply.status, "ok", reply.content)
        [html] = reply.displays("text/html")
        self.assertIn('<table class="stratum-table">', html)
        self.assertIn("<caption>T2D by sex</caption>", html)
        self.assertIn("<th>sex</th><th>persons</th>", html)
        self.assertIn("<td>female</td>", html)
        [plain] = reply.displays("text/plain")
        self.assertEqual(plain.splitlines()[0], "T2D by sex")
        self.assertRegex(plain, r"female\s+\d+")

    def test_definitions_persist_across_cells(self):
        reply = self.kernel.execute('cohort Older "over 65" from T2D\n  require age at entry >= 65')
        self.assertEqual(reply.status, "ok", reply.content)
        reply = self.kernel.execute("session")
        cohorts = reply.stream().split("cohorts=")[1].split()[0].split(",")
        self.assertIn("Older", cohorts)
        self.assertIn("T2D", cohorts)

    def test_a_server_error_is_an_error_reply_with_the_rendered_diagnostic(self):
        reply = self.kernel.execute('cohort Bad "typo"\n  entry first condition in Diabetis')
        self.assertEqual(reply.status, "error")
        self.assertEqual(reply.content["ename"], "StratumError")
        self.assertEqual(reply.content["evalue"], "unknown value set 'Diabetis'")
        traceback = reply.content["traceback"]
        self.assertEqual(traceback[0], "cell:2:28: error: unknown value set 'Diabetis'")
        self.assertEqual(traceback[-1], "  did you mean 'Diabetes'?")
        [published] = reply.of_type("error")
        self.assertEqual(published["traceback"], traceback)
        # The session survives a failing cell.
        self.assertEqual(self.kernel.execute("count T2D").status, "ok")

    def test_svg_is_shown_as_an_image(self):
        reply = self.kernel.execute("explain T2D")
        self.assertEqual(reply.status, "ok", reply.content)
        [svg] = reply.displays("image/svg+xml")
        self.assertTrue(svg.startswith("<svg"))
        self.assertIn("cohort T2D", reply.stream())

    def test_a_stray_line_on_the_servers_stdout_does_not_break_the_session(self):
        reply = self.kernel.execute("junk")
        self.assertEqual(reply.status, "ok", reply.content)
        self.assertEqual(reply.stream(), "wrote junk\n")

    def test_completion_returns_the_servers_matches_and_range(self):
        content = self.kernel.complete("count T2")
        self.assertEqual(content["status"], "ok")
        self.assertEqual(content["matches"], ["T2D"])
        self.assertEqual((content["cursor_start"], content["cursor_end"]), (6, 8))
        content = self.kernel.complete("cohort X\n  entry first co", cursor=len("cohort X\n  entry first co"))
        self.assertEqual(content["matches"], ["cohort", "condition", "count"])

    def test_completion_offsets_survive_a_db_magic_line(self):
        code = f"%db {self.store.db}\ncount T2"
        content = self.kernel.complete(code, cursor=len(code))
        self.assertEqual(content["matches"], ["T2D"])
        self.assertEqual(content["cursor_end"], len(code))
        self.assertEqual(self.kernel.complete(code, cursor=2)["matches"], [])

    def test_diagnostic_lines_count_the_magic_line(self):
        reply = self.kernel.execute(f"%db {self.store.db}\ncount Nobody")
        self.assertEqual(reply.status, "error")
        self.assertTrue(reply.content["traceback"][0].startswith("cell:2:7: error: unknown cohort"))

    def test_an_unknown_magic_is_an_error(self):
        reply = self.kernel.execute("%timeit count T2D")
        self.assertEqual(reply.status, "error")
        self.assertIn("unknown magic %timeit", reply.content["evalue"])


class Lifecycle(unittest.TestCase):
    """Starting, losing and replacing the server; each test has its own kernel."""

    def setUp(self):
        self.store = Store()
        self.kernel = None

    def tearDown(self):
        if self.kernel:
            self.kernel.close()
        self.store.cleanup()

    def start(self, **env):
        self.kernel = KernelSession(
            self.store.env(**env), cwd=str(self.store.dir), stderr=self.store.kernel_log()
        )
        return self.kernel

    def test_a_crashed_server_is_reported_and_a_new_one_starts_on_the_next_cell(self):
        kernel = self.start()
        self.assertEqual(kernel.execute(DEFINE).status, "ok")
        first = session_pid(kernel.execute("session"))

        reply = kernel.execute("crash")
        self.assertEqual(reply.status, "error")
        self.assertEqual(reply.content["ename"], "StratumServerError")
        self.assertIn("exited with status 70", reply.content["evalue"])
        traceback = "\n".join(reply.content["traceback"])
        self.assertIn("mock_stratum: simulated crash", traceback)
        self.assertIn("the next cell starts a new stratum session", traceback)

        # Tab completion may start the new server first; the next cell still says what happened.
        self.assertEqual(kernel.complete("cou")["matches"], ["count"])
        reply = kernel.execute("session")
        self.assertEqual(reply.status, "ok", reply.content)
        self.assertNotEqual(session_pid(reply), first)
        self.assertIn("definitions from earlier cells are gone", reply.stream("stderr"))
        self.assertTrue(reply.stream().rstrip().endswith("cohorts="))  # nothing defined any more

    def test_a_server_that_dies_between_cells_is_replaced(self):
        kernel = self.start()
        pid = session_pid(kernel.execute("session"))
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        reply = kernel.execute("session")
        self.assertEqual(reply.status, "ok", reply.content)
        self.assertNotEqual(session_pid(reply), pid)
        self.assertIn("started a new stratum session", reply.stream("stderr"))

    def test_restart_shuts_the_server_down_and_starts_afresh(self):
        kernel = self.start()
        self.assertEqual(kernel.execute(DEFINE).status, "ok")
        pid = session_pid(kernel.execute("session"))
        kernel.restart()
        self.assertIn("shutdown", self.store.logged_ops())
        self.assertTrue(process_gone(pid))
        reply = kernel.execute("session")
        self.assertNotEqual(session_pid(reply), pid)
        self.assertEqual(kernel.execute("count T2D").status, "error")
        self.assertEqual(reply.stream("stderr"), "")  # a restart is no surprise: no warning

    def test_interrupt_stops_a_long_cell_and_the_next_cell_runs(self):
        kernel = self.start()
        pid = session_pid(kernel.execute("session"))
        msg_id = kernel.execute_nowait("sleep 60")
        time.sleep(1.0)
        started = time.monotonic()
        kernel.km.interrupt_kernel()
        reply = kernel.wait_reply(msg_id, timeout=20)
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(reply.status, "error")
        self.assertEqual(reply.content["ename"], "KeyboardInterrupt")
        self.assertTrue(process_gone(pid))
        self.assertEqual(kernel.execute("session").status, "ok")

    def test_db_magic_chooses_the_database_relative_to_the_kernels_folder(self):
        (self.store.dir / "other.sqlite").touch()
        kernel = self.start(STRATUM_DB="")
        reply = kernel.execute("session")
        self.assertEqual(reply.status, "error")
        self.assertEqual(reply.content["ename"], "StratumServerError")
        self.assertIn("no database", reply.content["evalue"])

        reply = kernel.execute("%db other.sqlite\nsession")
        self.assertEqual(reply.status, "ok", reply.content)
        self.assertIn(f"db={self.store.dir / 'other.sqlite'} ", reply.stream())

        self.assertEqual(kernel.execute(DEFINE).status, "ok")
        reply = kernel.execute(f"%db {self.store.db}")
        self.assertEqual(reply.status, "ok")
        self.assertIn("definitions from earlier cells are gone", reply.stream("stderr"))
        self.assertIn(f"db={self.store.db} ", kernel.execute("session").stream())
        self.assertEqual(kernel.execute("%db").stream(), f"database: {self.store.db}\n")

    def test_a_server_that_cannot_start_is_reported_with_its_stderr(self):
        kernel = self.start(STRATUM_DB=str(self.store.dir / "missing.sqlite"))
        reply = kernel.execute("session")
        self.assertEqual(reply.status, "error")
        self.assertEqual(reply.content["ename"], "StratumServerError")
        self.assertIn("exited with status 1 while starting", reply.content["evalue"])
        self.assertIn("cannot open the store", "\n".join(reply.content["traceback"]))

    def test_a_missing_binary_is_named(self):
        kernel = self.start(STRATUM_BIN=str(self.store.dir / "no-such-stratum"))
        reply = kernel.execute("session")
        self.assertEqual(reply.status, "error")
        self.assertIn("STRATUM_BIN", reply.content["evalue"])
        self.assertIn("not an executable file", reply.content["evalue"])


if __name__ == "__main__":
    unittest.main()
