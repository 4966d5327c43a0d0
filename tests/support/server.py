"""Starts `python -m local.server` as a newcomer would, on free ports, and talks to it over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    def __init__(self, **env: str):
        self.port, self.aws_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TABLE_", "BASE_URL"))
        }
        environment.update(
            {"PORT": str(self.port), "LOCAL_AWS_PORT": str(self.aws_port), "LOCAL_QUIET": "1", **env}
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "local.server"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"local server exited: {self.process.stdout.read()}")
            try:
                urllib.request.urlopen(f"{self.base}/_local/outbox.json", timeout=1).read()
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise TimeoutError("local server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def request(self, method: str, url: str, data: bytes | None = None, headers: dict | None = None):
        url = url if url.startswith("http") else self.base + url
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=15) as answer:
                return answer.status, dict(answer.headers), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def get(self, url: str):
        return self.request("GET", url)

    def post_form(self, url: str, fields: dict):
        return self.request(
            "POST", url, urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_json(self, url: str, body: dict):
        return self.request("POST", url, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def outbox(self) -> list[dict]:
        return json.loads(self.get("/_local/outbox.json")[2])

    def wait_for_mail(self, count: int, timeout: float = 30) -> list[dict]:
        """Mail arrives through the stream pump within a second or two."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            mail = self.outbox()
            if len(mail) >= count:
                return mail
            time.sleep(0.2)
        raise AssertionError(f"expected {count} messages, have {len(self.outbox())}")
