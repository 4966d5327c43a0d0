"""Never a 500 on malformed input, at any door (issue 11 item 8). Every door (the form at /, POST /intros,
/link/*, /optout/*, /admin/*) is fed hostile HTTP API 2.0 events straight into its handler: bodies that
are not UTF-8, marked base64 or not, bad base64, bad percent-encoding, too many fields, deep or huge
JSON, wrong JSON types, odd content types and methods. Each answers a 4xx in its own kind (a JSON
problem from the API, a page from the form and the links), and a refused input leaves the table
exactly as it was."""

from __future__ import annotations

import base64
import itertools
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local.events import http_event
from local.lambdas import invoke
from local.world import REQUEST
from tests.integration.steps import awaiting_target

SIGNED = {"iam": {"userArn": "arn:aws:iam::123456789012:user/admin", "callerId": "AIDAEXAMPLE"}}
JSON_DOORS = ("/intros", "/admin/export", "/admin/erase")
FORM = "application/x-www-form-urlencoded"
_ips = itertools.count(1)


def call(
    world,
    method: str,
    path: str,
    body: bytes = b"",
    content_type: str | None = None,
    base64_flag: bool | None = None,
    signed: bool = True,
) -> dict:
    """The event API Gateway would send for this request, straight into the function the route names."""
    route = world.gateway.route_for(method, path)
    headers = {"content-type": content_type} if content_type is not None else {}
    n = next(_ips)
    event = http_event(
        route,
        path,
        headers=headers,
        body=body,
        method=method,
        source_ip=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
    )
    if base64_flag is not None and body:
        event["isBase64Encoded"] = base64_flag
        event["body"] = (
            base64.b64encode(body).decode() if base64_flag else body.decode("utf-8", "surrogateescape")
        )
    if path.startswith("/admin/") and signed:
        event["requestContext"]["authorizer"] = SIGNED
    return invoke(route.function, event)


def table(world) -> list[str]:
    from warm_intro import runtime

    items = runtime.client("dynamodb").scan(TableName=world.settings.table_name)["Items"]
    return sorted(json.dumps(item, sort_keys=True, default=bytes.hex) for item in items)


def content_type(answer: dict) -> str:
    return {k.lower(): v for k, v in (answer.get("headers") or {}).items()}.get("content-type", "")


def expected_kind(path: str) -> str:
    return "application/json" if path.startswith(JSON_DOORS) else "text/html"


def deep(depth: int) -> bytes:
    return b'{"requester":' + b"[" * depth + b"]" * depth + b"}"


# The cases named in the issue, each with the answer it must get.
NAMED = [
    (
        "form: more fields than a form has",
        "POST",
        "/",
        b"&".join(b"f%d=1" % i for i in range(40)),
        FORM,
        None,
        413,
    ),
    ("form: bad percent-encoding", "POST", "/", b"requester_name=%ff%fe&blurb=%c3", FORM, None, 400),
    ("form: not UTF-8, odd type", "POST", "/", b"\xff\xfe\x00name", "application/octet-stream", True, 415),
    ("form: not UTF-8 as a form", "POST", "/", b"requester_name=\xff\xfe", FORM, True, 400),
    ("form: JSON sent to the form", "POST", "/", json.dumps(REQUEST).encode(), "application/json", None, 415),
    ("form: bad base64", "POST", "/", b"requester_name=Ada", FORM, "not base64!", 400),
    ("form: too large", "POST", "/", b"blurb=" + b"a" * 70_000, FORM, None, 413),
    (
        "api: huge integer",
        "POST",
        "/intros",
        b'{"requester": ' + b"9" * 5000 + b"}",
        "application/json",
        None,
        400,
    ),
    ("api: nested too deeply", "POST", "/intros", deep(20_000), "application/json", None, 400),
    ("api: not UTF-8", "POST", "/intros", b'{"blurb": "\xff\xfe"}', "application/json", True, 400),
    ("api: bad base64", "POST", "/intros", b'{"a": 1}', "application/json", "e30", 400),
    ("api: text/plain", "POST", "/intros", json.dumps(REQUEST).encode(), "text/plain", None, 415),
    ("api: octet-stream", "POST", "/intros", b"\x00\x01", "application/octet-stream", True, 415),
    (
        "api: too large",
        "POST",
        "/intros",
        b'{"blurb": "' + b"a" * 70_000 + b'"}',
        "application/json",
        None,
        413,
    ),
    (
        "api: multipart without a boundary",
        "POST",
        "/intros",
        b"--x\r\n\xff",
        "multipart/form-data",
        True,
        415,
    ),
    (
        "api: multipart, not base64",
        "POST",
        "/intros",
        "--x\r\n\u2603".encode(),
        "multipart/form-data; boundary=x",
        False,
        415,
    ),
    ("api: a form", "POST", "/intros", b"requester=Ada&blurb=hello", FORM, None, 415),
    (
        "api: wrong JSON types",
        "POST",
        "/intros",
        b'{"requester": "Ada", "target": [], "blurb": 1e999}',
        "application/json",
        None,
        422,
    ),
    ("api: empty body", "POST", "/intros", b"", "application/json", None, 422),
    (
        "link: more fields than a decision has",
        "POST",
        "/link/abc.def",
        b"&".join(b"f%d=1" % i for i in range(40)),
        FORM,
        None,
        413,
    ),
    ("link: not UTF-8", "POST", "/link/abc.def", b"\xff\xfe", "application/octet-stream", True, 400),
    ("optout: not UTF-8, no type", "POST", "/optout/abc.def", b"List-Unsubscribe=\xff", None, True, 400),
    ("link: bad percent-encoding", "POST", "/link/abc.def", b"decision=%ff", FORM, None, 400),
    (
        "optout: garbled multipart",
        "POST",
        "/optout/abc.def",
        b"--x\r\nnonsense",
        "multipart/form-data",
        None,
        400,
    ),
    (
        "admin: huge integer",
        "POST",
        "/admin/export",
        b'{"email": ' + b"1" * 5000 + b"}",
        "application/json",
        None,
        400,
    ),
    ("admin: nested too deeply", "POST", "/admin/erase", deep(20_000), "application/json", None, 400),
    ("admin: not UTF-8", "POST", "/admin/export", b'{"email": "\xff"}', "application/json", True, 400),
]


@pytest.mark.parametrize(
    ("case", "method", "path", "body", "ctype", "b64", "status"), NAMED, ids=[c[0] for c in NAMED]
)
def test_each_named_hostile_input_gets_its_4xx_and_changes_nothing(
    world, case, method, path, body, ctype, b64, status
):
    before = table(world)
    if isinstance(b64, str):  # a body marked base64 that isn't
        route = world.gateway.route_for(method, path)
        event = http_event(route, path, headers={"content-type": ctype}, body=body, method=method)
        event.update(isBase64Encoded=True, body=b64)
        if path.startswith("/admin/"):
            event["requestContext"]["authorizer"] = SIGNED
        answer = invoke(route.function, event)
    else:
        answer = call(world, method, path, body, ctype, b64)
    assert answer["statusCode"] == status, answer.get("body", "")[:300]
    assert content_type(answer).startswith(expected_kind(path))
    if expected_kind(path) == "application/json":
        problem = json.loads(answer["body"])
        assert problem["message"] and isinstance(problem["errors"], list)
    assert table(world) == before


@pytest.mark.parametrize("encoding", ["multipart", "text/plain", "no type"])
def test_a_one_click_opt_out_is_understood_however_the_mail_client_labels_it(world, encoding):
    """RFC 8058 asks mail clients to send List-Unsubscribe=One-Click as multipart/form-data (or a form);
    one that labels it otherwise still opts the person out."""
    awaiting_target(world)
    optout = world.last_link("alan@example.net", kind="optout")
    body, ctype = {
        "multipart": (
            (
                b'--b0undary\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\n'
                b"One-Click\r\n--b0undary--\r\n"
            ),
            "multipart/form-data; boundary=b0undary",
        ),
        "text/plain": (b"List-Unsubscribe=One-Click", "text/plain"),
        "no type": (b"List-Unsubscribe=One-Click", None),
    }[encoding]
    answer = call(world, "POST", "/optout/" + optout.rsplit("/", 1)[1], body, ctype, True)
    assert answer["statusCode"] == 200
    intro = world.intro(optout.rsplit("/", 1)[1].split(".")[0])
    assert intro.history[-1].action == "opt_out"


# Hypothesis: the whole space -------------------------------------------------------------------------

TYPES = [
    None,
    "",
    "application/json",
    "application/json; charset=latin-1",
    FORM,
    f"{FORM}; charset=utf-8",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    "text/plain",
    "application/octet-stream",
    "application/xml",
    "APPLICATION/JSON",
    ";;;",
    "image/png",
]
METHODS = ["POST"] * 6 + ["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"]
WORDS = [
    "decision",
    "confirm",
    "approve",
    "decline",
    "opt_out",
    "List-Unsubscribe",
    "requester_name",
    "requester_email",
    "connector_email",
    "target_name",
    "target_email",
    "target_about",
    "acquaintance",
    "blurb",
    "note",
    "email",
    "%",
    "%ff",
    "%c3%28",
    "%00",
    "&",
    "=",
    "+",
    "\r\n",
    "\u202e",
    "\U0001f600",
    "a" * 300,
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["ada@example.org", "x" * 300, "=?utf-8?q?a?=", "\u0000"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(WORDS + list(REQUEST)), inner, max_size=5)
    ),
    max_leaves=20,
)


@st.composite
def near_valid_json(draw) -> bytes:
    """The documented request with one part swapped for something hostile."""
    body = json.loads(json.dumps(REQUEST))
    where = draw(
        st.sampled_from([None, "requester", "connector_email", "acquaintance", "target", "blurb", "extra"])
    )
    if where:
        body[where] = draw(json_values)
    return json.dumps(body).encode()


bodies = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    near_valid_json(),
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS)), max_size=30).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogatepass")
    ),
    st.lists(st.sampled_from(WORDS), max_size=8).map(
        lambda words: "&".join(quote(w) for w in words).encode()
    ),
    st.integers(1, 3000).map(deep),
    st.integers(4000, 6000).map(lambda n: b"[" + b"7" * n + b"]"),
    st.sampled_from(
        [
            b'--xyz\r\nContent-Disposition: form-data; name="decision"\r\n\r\nconfirm\r\n--xyz--\r\n',
            b"--xyz\r\n\r\n--xyz",
            b"--xyz--",
            b"\r\n\r\n--",
        ]
    ),
)


DOORS = ["/", "/intros", "/link/{token}", "/optout/{token}", "/admin/export", "/admin/erase"]
DOORS += ["/me", "/me/signin/{token}", "/me/open/{token}", "/me/settings", "/me/erase", "/me/signout"]


@pytest.mark.parametrize("door", DOORS)
def test_no_door_ever_answers_a_server_error_or_writes_on_refusal(world, door):
    world.ask()
    world.deliver()
    token = world.last_link("ada@example.org").rsplit("/", 1)[1]
    tokens = [token, f"{token[:-3]}xyz", "abc.def", "%ff%fe", "." * 300, "\u202e"]

    @given(
        method=st.sampled_from(METHODS),
        token=st.sampled_from(tokens),
        body=bodies,
        ctype=st.sampled_from(TYPES),
        b64=st.sampled_from([None, True, False]),
        signed=st.booleans(),
    )
    @settings(
        max_examples=50,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    def knock(method, token, body, ctype, b64, signed):
        path = door.format(token=token)
        before = table(world)
        answer = call(world, method, path, body, ctype, b64, signed)
        status = answer["statusCode"]
        assert status < 500, (method, path, ctype, body[:80], answer.get("body", "")[:300])
        if not world.gateway.route_for(method, path).is_default:
            assert content_type(answer).startswith(expected_kind(path)), (method, path, content_type(answer))
        if status >= 400:
            assert table(world) == before, (method, path, status)

    knock()


@pytest.mark.parametrize(
    ("path", "body", "ctype"),
    [
        ("/intros", json.dumps(REQUEST).encode(), "application/json"),
        ("/", b"requester_name=Ada", FORM),
    ],
)
def test_a_bug_of_ours_stays_a_server_error_however_the_request_looks(world, monkeypatch, path, body, ctype):
    """Only a body that really can't be read becomes a 4xx; a ValueError from our own code is not hidden."""
    from warm_intro.api import IntroRequest
    from warm_intro.domain import note_coach
    from warm_intro.services import intake

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(intake, "submit", broken)
    monkeypatch.setattr(note_coach, "review", broken)  # the form reads the note before it submits
    # Any body reaches our code, as if it had been a valid request.
    valid = IntroRequest.model_validate(REQUEST)
    monkeypatch.setattr(IntroRequest, "model_validate", classmethod(lambda cls, data: valid))
    with pytest.raises(ValueError, match="a bug"):
        call(world, "POST", path, body, ctype)
