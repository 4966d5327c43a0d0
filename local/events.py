"""Builds the events Lambda would receive: HTTP API payload 2.0 and DynamoDB stream batches."""

from __future__ import annotations

import base64
import time
import uuid
from urllib.parse import parse_qs

from .template import Route


def http_event(
    route: Route,
    path: str,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    source_ip: str = "127.0.0.1",
    method: str | None = None,
) -> dict:
    method = method or route.method  # the catch-all route takes any method
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    match = route.pattern.match(path)
    params = match.groupdict() if match else {}
    text_body = _is_text(headers.get("content-type", ""))
    event = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": headers.get("host", "localhost"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route.route_key,
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()),
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": bool(body) and not text_body,
    }
    if query:
        event["queryStringParameters"] = {k: ",".join(v) for k, v in parse_qs(query).items()}
    if params:
        event["pathParameters"] = params
    if body:
        event["body"] = body.decode("utf-8", "replace") if text_body else base64.b64encode(body).decode()
    return event


def _is_text(content_type: str) -> bool:
    return content_type.startswith(("application/json", "application/x-www-form-urlencoded", "text/"))


def stream_event(records: list[dict], stream_arn: str) -> dict:
    """Records as get_records returns them, shaped as Lambda's DynamoDB event source delivers them."""
    return {
        "Records": [
            {
                "eventID": r["eventID"],
                "eventName": r["eventName"],
                "eventVersion": r.get("eventVersion", "1.1"),
                "eventSource": "aws:dynamodb",
                "awsRegion": r.get("awsRegion", "us-east-1"),
                "dynamodb": _as_json(r["dynamodb"]),
                "eventSourceARN": stream_arn,
            }
            for r in records
        ]
    }


def _as_json(value):
    """As Lambda's JSON event carries it: binary attribute values ("B", "BS") as base64 text."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value
