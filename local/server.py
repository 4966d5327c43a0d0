"""Serves the whole service on http://127.0.0.1:3000 (PORT overrides) with no AWS account and no
Docker: moto runs as the embedded AWS on LOCAL_AWS_PORT (3001), the template's routes reach the
same handlers Lambda runs, and the table's stream is pumped into the notifier continuously.

    python -m local.server

Captured mail: /_local/outbox (page) and /_local/outbox.json. POST /_local/tick runs the
scheduler, optionally moving the server's clock forward (`days=`) or to a moment (`at=`)."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
import warnings
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from warm_intro.settings import env_var
from warm_intro_admin.target import LOCAL_HASH_KEY, LOCAL_TABLE

HERE = Path(__file__).resolve().parent


def configure(port: int, aws_port: int) -> None:
    """The environment a deployed function would have, pointed at the embedded AWS."""
    defaults = {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        env_var("table_name"): LOCAL_TABLE,
        env_var("base_url"): f"http://127.0.0.1:{port}",
        env_var("org_name"): "Demo Community",
        env_var("sender"): "intros@example.org",
        env_var("hash_key"): LOCAL_HASH_KEY,
        "POWERTOOLS_SERVICE_NAME": "warm-intro",
        "POWERTOOLS_METRICS_NAMESPACE": "WarmIntro",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{aws_port}"
    # Page views count nothing, and Powertools says so each time; not news for a newcomer's terminal.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    sys.path.insert(0, str(HERE.parent / "shared"))


def loggable(path: str) -> str:
    """A request path as the log may show it: the route without what follows it or any query, since
    links carry their bearer token in the path (/link/..., /optout/...) and could carry it in a query.
    The server's own /_local/ pages carry none and are shown whole."""
    route = urlsplit(path).path
    if route.startswith("/_local/"):
        return route
    first, _, rest = route.lstrip("/").partition("/")
    return f"/{first}/..." if rest else f"/{first}"


class Clock:
    """The server's notion of now: real time plus however far /_local/tick has moved it."""

    def __init__(self) -> None:
        self.offset = 0

    def now(self) -> int:
        return int(time.time()) + self.offset

    def label(self) -> str:
        moved = f" (moved {self.offset / 86400:g} days ahead)" if self.offset else ""
        return datetime.fromtimestamp(self.now(), UTC).strftime("%Y-%m-%d %H:%M UTC") + moved


def main() -> None:
    port = int(os.environ.get("PORT", "3000"))
    aws_port = int(os.environ.get("LOCAL_AWS_PORT", "3001"))
    configure(port, aws_port)

    from moto.server import ThreadedMotoServer

    from warm_intro import runtime
    from warm_intro.adapters.agreements import Agreements

    from . import aws, outbox, outbox_page
    from .gateway import Gateway
    from .lambdas import invoke
    from .stream import StreamPump

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's own request log
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=aws_port, verbose=False)
    moto.start()
    clock = Clock()
    runtime.now = clock.now
    settings = runtime.settings()
    aws.create_resources(settings.table_name, settings.sender)
    members = aws.read_members(Path(os.environ.get("LOCAL_MEMBERS", HERE / "members.csv")))
    for email, name in members:
        runtime.repository().put_member(email, name)
        Agreements(runtime.repository()).record(email, clock.now(), "local demo")  # all happy to be asked
    pump = StreamPump(
        aws.stream_arn(settings.table_name), dead_letter_url=aws.dead_letter_queue(settings.table_name)
    )
    gateway = Gateway()
    stop = threading.Event()

    def pump_forever() -> None:
        while not stop.is_set():
            try:
                pump.pump()
            except Exception as error:  # noqa: BLE001 -- keep serving; the next round retries
                print(f"stream pump: {error!r}", file=sys.stderr)
            stop.wait(0.3)

    def tick(form: dict[str, str]) -> dict:
        if form.get("at"):
            at = form["at"]
            target = int(at) if at.isdigit() else int(datetime.fromisoformat(at).timestamp())
            clock.offset = max(clock.offset, target - int(time.time()))
        elif form.get("days"):
            clock.offset += int(float(form["days"]) * 86400)
        report = invoke("SchedulerFunction", {"source": "local", "detail-type": "Scheduled Event"})
        pump.pump()
        return {"now": clock.now(), "clock": clock.label(), **(report or {})}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self._serve("GET")

        def do_HEAD(self):
            self._serve("HEAD")

        def do_POST(self):
            self._serve("POST")

        def __getattr__(self, name: str):
            # The stdlib answers 501 to a method it finds no do_<METHOD> for; the API takes no such
            # method either, and a 405 says which it does take.
            if name.startswith("do_"):
                return self._not_allowed
            raise AttributeError(name)

        def _not_allowed(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)  # keep the connection usable for the next request
            allow = ", ".join(gateway.allowed(urlsplit(self.path).path) or ["GET", "HEAD", "POST"])
            self._send(
                405,
                "application/json",
                json.dumps({"message": "Method Not Allowed", "allow": allow}).encode(),
                {"Allow": allow},
            )

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            if parts.path == "/_local/outbox.json":
                return self._send(200, "application/json", json.dumps(outbox.messages(), indent=2).encode())
            if parts.path == "/_local/outbox":
                return self._send(
                    200,
                    "text/html; charset=utf-8",
                    outbox_page.render(outbox.messages(), clock.label()).encode(),
                )
            if parts.path == "/_local/tick" and method == "POST":
                form = {k: v[0] for k, v in parse_qs(body.decode() or parts.query).items()}
                report = tick(form)
                if "json" in (self.headers.get("accept") or ""):
                    return self._send(200, "application/json", json.dumps(report).encode())
                return self._redirect("/_local/outbox")
            headers = dict(self.headers.items())
            answer = gateway.request(
                method,
                parts.path,
                query=parts.query,
                headers=headers,
                body=body,
                source_ip=self.client_address[0],
            )
            self._send(
                answer.status, answer.headers.pop("content-type", "text/plain"), answer.body, answer.headers
            )

        def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                if name != "content-length":
                    self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _redirect(self, location: str) -> None:
            self.send_response(303)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, fmt: str, *args) -> None:
            if os.environ.get("LOCAL_QUIET") != "1":
                sys.stderr.write(
                    f"{self.command} {loggable(self.path)} -> {args[1] if len(args) > 1 else ''}\n"
                )

    threading.Thread(target=pump_forever, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"Warm introductions for {settings.org_name} at http://127.0.0.1:{port}/", flush=True)
    print(
        f"  {len(members)} demo members seeded; outbox at http://127.0.0.1:{port}/_local/outbox", flush=True
    )
    print(f"  embedded AWS (moto) at http://127.0.0.1:{aws_port}; Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        moto.stop()


if __name__ == "__main__":
    main()
