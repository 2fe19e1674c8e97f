"""The Jupyter kernel: forwards cells to one `stratum repl --protocol json` and shows the results."""

from __future__ import annotations

import atexit
import os
import sys

from ipykernel.kernelbase import Kernel

from . import __version__
from .magics import MagicError, line_of_offset, parse_cell
from .render import error_content, output_messages
from .server import ServerError, StratumServer, find_binary

COMPLETE_TIMEOUT = 10.0


def _resolve(path: str) -> str:
    """An absolute path; a relative one is taken from the kernel's working directory."""
    return os.path.abspath(os.path.expanduser(path))


class StratumKernel(Kernel):
    implementation = "stratum_kernel"
    implementation_version = __version__
    language = "stratum"
    language_version = "0.1"
    language_info = {
        "name": "stratum",
        "mimetype": "text/x-stratum",
        "file_extension": ".stratum",
    }
    banner = "Stratum: cohort queries over an EHR store (database from STRATUM_DB or %db PATH)"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        db = os.environ.get("STRATUM_DB", "").strip()
        self._db: str | None = _resolve(db) if db else None
        self._server: StratumServer | None = None
        # Why the previous session ended, told once when the next one starts.
        self._ended: str | None = None
        atexit.register(self._stop_server)

    # -- Jupyter requests ---------------------------------------------------------------------

    async def do_execute(
        self, code, silent, store_history=True, user_expressions=None, allow_stdin=False, **kwargs
    ):
        try:
            cell = parse_cell(code)
        except MagicError as error:
            return self._error(
                "StratumError", error.message, [f"cell:{error.line}: error: {error.message}"], silent
            )

        if cell.db is not None:
            self._use_database(_resolve(cell.db), silent)
        if cell.db_shown and not silent:
            self._stream("stdout", f"database: {self._db or '(none: set STRATUM_DB or use %db PATH)'}\n")
        if not cell.has_statements:
            return self._ok()

        try:
            server = self._ensure_server(silent)
            response = server.execute(cell.code)
        except ServerError as error:
            return self._server_failed(error, silent)
        except KeyboardInterrupt:
            self._stop_server(kill=True)
            self._ended = "it was stopped by an interrupt"
            message = "interrupted: the stratum session was stopped"
            return self._error(
                "KeyboardInterrupt",
                message,
                [message, "definitions from earlier cells are gone: run them again"],
                silent,
            )

        if not silent:
            for output in response.get("outputs") or []:
                for msg_type, content in output_messages(output):
                    self.send_response(self.iopub_socket, msg_type, content)
        if response.get("ok"):
            return self._ok()
        error = response.get("error")
        content = error_content(error if isinstance(error, dict) else {"message": str(error)})
        return self._error(content["ename"], content["evalue"], content["traceback"], silent)

    async def do_complete(self, code, cursor_pos):
        reply = {
            "status": "ok",
            "matches": [],
            "cursor_start": cursor_pos,
            "cursor_end": cursor_pos,
            "metadata": {},
        }
        try:
            cell = parse_cell(code)
        except MagicError:
            return reply
        if line_of_offset(code, cursor_pos) in cell.magic_lines:
            return reply
        # A %db line in the cell takes effect when the cell runs, not on a Tab press: completion
        # asks the current session.
        try:
            server = self._ensure_server(silent=True)
            response = server.complete(cell.code, cursor_pos, timeout=COMPLETE_TIMEOUT)
        except ServerError as error:
            self.log.warning("stratum completion failed: %s", error.message)
            return reply
        if not response.get("ok"):
            return reply
        reply["matches"] = [str(m) for m in response.get("matches") or []]
        reply["cursor_start"] = int(response.get("cursor_start", cursor_pos))
        reply["cursor_end"] = int(response.get("cursor_end", cursor_pos))
        return reply

    async def do_shutdown(self, restart):
        self._stop_server()
        # ipykernel flushes stdout and stderr once more after this reply, and that flush can wait
        # its full timeout (10 s each) when the main thread has meanwhile closed the iopub thread,
        # a race that a wrapper kernel, quick to exit, loses often. Nothing is left to flush.
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "flush_timeout"):
                stream.flush_timeout = 0.2
        return {"status": "ok", "restart": restart}

    # -- the server ---------------------------------------------------------------------------

    def _ensure_server(self, silent: bool) -> StratumServer:
        if self._server is None or not self._server.alive:
            self._start_server()
        if self._ended and not silent:
            # Told to the first cell that runs on the new session (completion may have started it).
            self._stream(
                "stderr",
                f"started a new stratum session ({self._ended}); "
                "definitions from earlier cells are gone\n",
            )
            self._ended = None
        return self._server

    def _start_server(self) -> None:
        if self._server is not None:
            # It died between cells.
            self._ended = self._ended or "the stratum process ended between cells"
            self._stop_server(kill=True)
        if self._db is None:
            raise ServerError(
                "no database: set STRATUM_DB before starting Jupyter, "
                "or begin a cell with %db PATH"
            )
        server = StratumServer(find_binary(), self._db, on_stderr=self._server_stderr)
        try:
            server.start()
        except BaseException:
            server.kill()
            raise
        self._server = server

    def _use_database(self, db: str, silent: bool) -> None:
        if db == self._db:
            return
        running = self._server is not None and self._server.alive
        self._stop_server()
        self._db = db
        if running and not silent:
            self._stream("stderr", f"database is now {db}; definitions from earlier cells are gone\n")

    def _stop_server(self, kill: bool = False) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        if kill:
            server.kill()
        else:
            server.shutdown()

    def _server_stderr(self, line: str) -> None:
        self.log.info("stratum: %s", line)

    def _server_failed(self, error: ServerError, silent: bool) -> dict:
        if self._server is not None and not self._server.alive:
            self._stop_server(kill=True)
            self._ended = "the previous one ended: " + error.message
            hint = "the next cell starts a new stratum session; definitions from earlier cells are gone"
        else:
            hint = None
        traceback = [error.message]
        if error.details:
            traceback.append("stratum's last words on stderr:")
            traceback.extend("  " + line for line in error.details)
        if hint:
            traceback.append(hint)
        return self._error("StratumServerError", error.message, traceback, silent)

    # -- replies ------------------------------------------------------------------------------

    def _stream(self, name: str, text: str) -> None:
        self.send_response(self.iopub_socket, "stream", {"name": name, "text": text})

    def _ok(self) -> dict:
        return {
            "status": "ok",
            "execution_count": self.execution_count,
            "payload": [],
            "user_expressions": {},
        }

    def _error(self, ename: str, evalue: str, traceback: list[str], silent: bool) -> dict:
        content = {"ename": ename, "evalue": evalue, "traceback": traceback}
        if not silent:
            self.send_response(self.iopub_socket, "error", content)
        return {"status": "error", "execution_count": self.execution_count, **content}
