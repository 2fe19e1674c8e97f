"""Helpers for the kernel's tests: a kernel started through jupyter_client against the mock server."""

from __future__ import annotations

import os
import queue
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parents[2]
MOCK = TESTS / "mock_stratum.py"
TIMEOUT = 30


def require_kernel_spec() -> None:
    try:
        KernelSpecManager().get_kernel_spec("stratum")
    except NoSuchKernel:
        sys.exit(f"no 'stratum' kernel spec for {sys.executable}: run `make notebook-kernel` first")


class Store:
    """A temporary folder with an (empty) database file and a log of the mock's requests."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="stratum-kernel-test-")
        self.dir = Path(self._tmp.name)
        self.db = self.dir / "pop.sqlite"
        self.db.touch()
        self.log = self.dir / "mock.log"

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(STRATUM_BIN=str(MOCK), STRATUM_DB=str(self.db), MOCK_STRATUM_LOG=str(self.log))
        env.update(extra)
        return {k: v for k, v in env.items() if v is not None}

    def logged_ops(self) -> list[str]:
        return self.log.read_text().split() if self.log.exists() else []

    def kernel_log(self):
        """A file for a kernel's stderr, kept out of the test report."""
        return open(self.dir / "kernel.log", "a")

    def cleanup(self) -> None:
        self._tmp.cleanup()


class Reply:
    """An execute or complete reply and the iopub messages that went with it."""

    def __init__(self, reply: dict, messages: list[dict]):
        self.content = reply["content"]
        self.messages = messages

    @property
    def status(self) -> str:
        return self.content["status"]

    def of_type(self, msg_type: str) -> list[dict]:
        return [m["content"] for m in self.messages if m["msg_type"] == msg_type]

    def stream(self, name: str = "stdout") -> str:
        return "".join(c["text"] for c in self.of_type("stream") if c["name"] == name)

    def displays(self, mime: str) -> list[str]:
        return [c["data"][mime] for c in self.of_type("display_data") if mime in c["data"]]


class KernelSession:
    """A running `stratum` kernel and a client for it."""

    def __init__(self, env: dict[str, str], cwd: str | None = None, stderr=None):
        self.km = KernelManager(kernel_name="stratum")
        # The kernel's own stderr (ipykernel's start-up warnings) goes to `stderr` when given.
        self.km.start_kernel(env=env, cwd=cwd, stderr=stderr)
        self._connect()

    def _connect(self) -> None:
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)

    def execute(self, code: str, timeout: float = TIMEOUT) -> Reply:
        messages: list[dict] = []
        reply = self.kc.execute_interactive(
            code, output_hook=messages.append, timeout=timeout, allow_stdin=False
        )
        return Reply(reply, messages)

    def execute_nowait(self, code: str) -> str:
        return self.kc.execute(code)

    def wait_reply(self, msg_id: str, timeout: float = TIMEOUT) -> Reply:
        messages: list[dict] = []
        while True:
            reply = self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                break
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            messages.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        return Reply(reply, messages)

    def complete(self, code: str, cursor: int | None = None) -> dict:
        return self.kc.complete(code, cursor, reply=True, timeout=TIMEOUT)["content"]

    def restart(self) -> None:
        self.kc.stop_channels()
        self.km.restart_kernel(now=False)
        self._connect()

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)


def process_gone(pid: int) -> bool:
    """True when `pid` is no longer running (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True
