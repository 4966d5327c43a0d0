"""Reading a request's body, whatever arrives. A body we can't read (bad base64, not UTF-8, too big,
too many fields, JSON nested past reason, a content type no form sends) becomes `Unreadable`, which
refusals.REFUSALS maps to a 4xx; never an exception from deep inside a parser."""

from __future__ import annotations

import binascii
import json
from base64 import b64decode
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

# Several times the largest valid request (every field at its limit, each character escaped as
# \uXXXX\uXXXX); API Gateway's own limit, 10 MB, is far more than a Lambda should parse.
MAX_BYTES = 64 * 1024
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"  # what RFC 8058 asks one-click unsubscribe POSTs to use


class Unreadable(Exception):
    """A body we can't read, with a sentence a person (or a developer) can act on."""


class TooLarge(Unreadable):
    pass


class UnsupportedType(Unreadable):
    pass


def raw(event: BaseProxyEvent) -> bytes:
    body = event.body or ""
    if event.is_base64_encoded:
        try:
            data = b64decode(body, validate=True)
        except (binascii.Error, ValueError) as error:
            raise Unreadable("The body is marked base64 but is not valid base64.") from error
    else:
        data = body.encode("utf-8", "surrogatepass")  # a lone surrogate then fails as "not UTF-8" below
    if len(data) > MAX_BYTES:
        raise TooLarge(f"The body is larger than {MAX_BYTES // 1024} KB.")
    return data


def text(event: BaseProxyEvent) -> str:
    try:
        return raw(event).decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unreadable("The body must be UTF-8 text.") from error


def json_text(event: BaseProxyEvent) -> str:
    """A JSON API request's body as text; the API takes application/json (or no content type) only."""
    if media_type(event) not in ("", JSON):
        raise UnsupportedType("Send the body as application/json.")
    return text(event)


def media_type(event: BaseProxyEvent) -> str:
    return (event.headers.get("content-type") or "").split(";", 1)[0].strip().lower()


def form(event: BaseProxyEvent, max_fields: int, any_type: bool = False) -> dict[str, str]:
    """A form's fields (the first value of each), from either encoding a browser or mail client sends.
    `any_type` reads a body of any other declared type as urlencoded instead of refusing it."""
    kind = media_type(event)
    if kind == MULTIPART:
        return _multipart(event, max_fields)
    if kind != FORM and (kind or raw(event)) and not any_type:
        raise UnsupportedType("Send this form as application/x-www-form-urlencoded.")
    body = text(event)
    try:
        pairs = parse_qsl(body, keep_blank_values=True, max_num_fields=max_fields, errors="strict")
    except UnicodeDecodeError as error:
        raise Unreadable("The form's fields must be UTF-8 text.") from error
    except ValueError as error:  # parse_qsl's only other refusal: more than max_num_fields
        raise TooLarge(f"This form has at most {max_fields} fields.") from error
    found: dict[str, str] = {}
    for name, value in pairs:
        found.setdefault(name, value)
    return found


def _multipart(event: BaseProxyEvent, max_fields: int) -> dict[str, str]:
    head = f"Content-Type: {event.headers.get('content-type')}\r\n\r\n".encode("utf-8", "replace")
    message = BytesParser(policy=HTTP).parsebytes(head + raw(event))
    if not message.is_multipart() or message.defects:
        raise Unreadable("The multipart form could not be read.")
    parts = list(message.iter_parts())
    if len(parts) > max_fields:
        raise TooLarge(f"This form has at most {max_fields} fields.")
    found: dict[str, str] = {}
    for part in parts:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)  # bytes; None for a part that is multipart itself
        payload = payload if isinstance(payload, bytes) else b""
        try:
            value = payload.decode(part.get_content_charset() or "utf-8")
        except (LookupError, UnicodeDecodeError) as error:
            raise Unreadable("The form's fields must be UTF-8 text.") from error
        if isinstance(name, str):
            found.setdefault(name, value)
    return found


def json_value(body: str) -> Any:
    """The JSON API's body parser (the resolver's json_body_deserializer)."""
    if len(body) > MAX_BYTES:
        raise TooLarge(f"The body is larger than {MAX_BYTES // 1024} KB.")
    try:
        return json.loads(body)
    except RecursionError as error:
        raise Unreadable("The JSON is nested too deeply.") from error
    except ValueError as error:  # malformed JSON, or an integer with more digits than Python will convert
        raise Unreadable(f"The body is not JSON we can read: {_reason(error)}") from error


def _reason(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} at character {error.pos}."
    return "a number is too long."
