"""One `stratum repl --protocol json` process and the line-delimited JSON spoken with it.

The protocol is specified in docs/PROTOCOL.md. This module knows nothing of Jupyter: it starts the
process, waits for its ready line, sends one request at a time and returns the response that
carries the request's id.
"""

from __future__ import annotations

import collections
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

# Where `<repo>/.build/release/stratum` is: this file is <repo>/Notebooks/kernel/stratum_kernel/.
REPO_ROOT = Path(__file__).resolve().parents[3]
START_TIMEOUT = 30.0
SHUTDOWN_TIMEOUT = 5.0
STDERR_TAIL_LINES = 40

_EOF = object()


class ServerError(Exception):
    """The server could not be started, died, or broke the protocol.

    `details` are extra lines for the user (the tail of the server's stderr, say).
    """

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


def find_binary(env: dict[str, str] | None = None) -> str:
    """The stratum executable: $STRATUM_BIN, else `stratum` on PATH, else the repo's release build."""
    env = os.environ if env is None else env
    given = env.get("STRATUM_BIN", "").strip()
    if given:
        path = os.path.expanduser(given)
        if os.sep not in path:  # a command name rather than a path
            path = shutil.which(path, path=env.get("PATH")) or path
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise ServerError(f"STRATUM_BIN is {given!r}, which is not an executable file")
        return os.path.abspath(path)
    on_path = shutil.which("stratum", path=env.get("PATH"))
    if on_path:
        return on_path
    built = REPO_ROOT / ".build" / "release" / "stratum"
    if built.is_file() and os.access(built, os.X_OK):
        return str(built)
    raise ServerError(
        "cannot find the stratum binary: set STRATUM_BIN, put stratum on PATH, "
        f"or build {built} (swift build -c release)"
    )


def describe_exit(returncode: int | None) -> str:
    if returncode is None:
        return "is still running"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"was killed by {name}"
    return f"exited with status {returncode}"


class StratumServer:
    """A running `stratum repl --protocol json --db DB`."""

    def __init__(self, binary: str, db: str, on_stderr=None, start_timeout: float = START_TIMEOUT):
        self.binary = binary
        self.db = db
        self.argv = [binary, "repl", "--protocol", "json", "--db", db]
        self.version: str | None = None
        self._on_stderr = on_stderr
        self._start_timeout = start_timeout
        self._next_id = 0
        self._lines: queue.Queue = queue.Queue()
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
        self._proc: subprocess.Popen | None = None
        self._stderr_reader: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the process and wait for `{"ready":true,...}`; raises ServerError."""
        try:
            # A session of its own: an interrupt signalled to the kernel's process group must not
            # kill the server behind the kernel's back (the kernel decides what an interrupt does).
            self._proc = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as error:
            raise ServerError(f"cannot start {self.binary}: {error.strerror or error}") from None
        threading.Thread(target=self._read_stdout, name="stratum-stdout", daemon=True).start()
        self._stderr_reader = threading.Thread(
            target=self._read_stderr, name="stratum-stderr", daemon=True
        )
        self._stderr_reader.start()

        deadline = time.monotonic() + self._start_timeout
        while True:
            message = self._next_message(deadline)
            if message is None:
                self.kill()
                raise ServerError(
                    f"stratum did not say it was ready within {self._start_timeout:.0f} s",
                    self.stderr_tail(),
                )
            if message is _EOF:
                raise self._died("while starting")
            if message.get("ready") is True:
                self.version = str(message.get("version", ""))
                return

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def shutdown(self, timeout: float = SHUTDOWN_TIMEOUT) -> None:
        """Ask the server to stop; kill it if it does not within `timeout` seconds."""
        if not self.alive:
            self.kill()
            return
        try:
            self.request({"op": "shutdown"}, timeout=timeout)
        except ServerError:
            pass
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def kill(self) -> None:
        """Stop the process now (SIGTERM, then SIGKILL) and reap it."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            try:
                stream.close()
            except OSError:
                pass

    def stderr_tail(self) -> list[str]:
        return list(self._stderr_tail)

    # -- requests ---------------------------------------------------------------------------

    def execute(self, code: str) -> dict:
        return self.request({"op": "execute", "code": code})

    def complete(self, code: str, cursor: int, timeout: float) -> dict:
        return self.request({"op": "complete", "code": code, "cursor": cursor}, timeout=timeout)

    def request(self, fields: dict, timeout: float | None = None) -> dict:
        """Send one request and return its response; raises ServerError.

        On a timeout the request stays unanswered and ServerError is raised; a late response is
        recognised by its id and dropped when the next request reads.
        """
        if not self.alive:
            raise self._died("before the request was sent")
        self._next_id += 1
        request_id = self._next_id
        line = json.dumps({"id": request_id, **fields}, ensure_ascii=False) + "\n"
        try:
            self._proc.stdin.write(line.encode("utf-8"))
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._died("while reading the request") from None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            message = self._next_message(deadline)
            if message is None:
                raise ServerError(f"stratum did not answer {fields['op']} within {timeout:g} s")
            if message is _EOF:
                raise self._died(f"while answering {fields['op']}")
            if message.get("id") == request_id:
                return message
            # A response to an earlier request that timed out; its caller has given up.

    # -- reading ----------------------------------------------------------------------------

    def _next_message(self, deadline: float | None):
        """The next JSON object from stdout, _EOF, or None at the deadline.

        Lines that are not JSON objects are logged as diagnostics and skipped: stdout is meant
        to carry protocol lines only, but a stray debug print should not end the session.
        """
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                return None
            try:
                # Wake up now and then, so a blocked wait stays interruptible.
                line = self._lines.get(timeout=0.5 if wait is None else min(wait, 0.5))
            except queue.Empty:
                continue
            if line is _EOF:
                return _EOF
            try:
                message = json.loads(line)
            except ValueError:
                message = None
            if isinstance(message, dict):
                return message
            self._note_stderr(f"(not a protocol line on stdout) {line.rstrip()[:200]}")

    def _read_stdout(self) -> None:
        for raw in self._proc.stdout:
            self._lines.put(raw.decode("utf-8", errors="replace"))
        self._lines.put(_EOF)

    def _read_stderr(self) -> None:
        for raw in self._proc.stderr:
            self._note_stderr(raw.decode("utf-8", errors="replace").rstrip("\n"))

    def _note_stderr(self, line: str) -> None:
        self._stderr_tail.append(line)
        if self._on_stderr is not None:
            try:
                self._on_stderr(line)
            except Exception:
                pass

    def _died(self, when: str) -> ServerError:
        proc = self._proc
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        # Let the stderr reader collect the last words before they are reported.
        if self._stderr_reader is not None:
            self._stderr_reader.join(timeout=1)
        self.kill()
        return ServerError(f"stratum {describe_exit(proc.returncode)} {when}", self.stderr_tail())
