"""What API Gateway does for an HTTP API: match the route, build the payload 2.0 event, invoke the
function, and turn its answer back into a status, headers and body."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from . import template
from .events import http_event
from .lambdas import invoke


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


NOT_FOUND = Answer(404, {"content-type": "application/json"}, b'{"message":"Not Found"}')


class Gateway:
    def __init__(self) -> None:
        self.routes = template.routes()

    def route_for(self, method: str, path: str) -> template.Route | None:
        exact = (r for r in self.routes if not r.is_default and r.method == method and r.pattern.match(path))
        return next(exact, None) or next((r for r in self.routes if r.is_default), None)

    def allowed(self, path: str) -> list[str]:
        """The methods the template routes for `path` (the catch-all route aside)."""
        return sorted({r.method for r in self.routes if not r.is_default and r.pattern.match(path)})

    def request(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        source_ip: str = "127.0.0.1",
    ) -> Answer:
        route = self.route_for(method.upper(), path)
        if route is None:
            return NOT_FOUND
        event = http_event(
            route, path, query=query, headers=headers, body=body, source_ip=source_ip, method=method.upper()
        )
        result = invoke(route.function, event)
        payload = result.get("body") or ""
        raw = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode("utf-8")
        answer_headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
        for name, values in (result.get("multiValueHeaders") or {}).items():
            answer_headers[name.lower()] = ", ".join(values)
        if result.get("cookies"):
            answer_headers["set-cookie"] = "; ".join(result["cookies"])
        if method.upper() == "HEAD":
            raw = b""
        return Answer(int(result.get("statusCode", 200)), answer_headers, raw)
