"""One error table (warm_intro.refusals): every domain error and unreadable body has its own row, a
4xx with a title and text, and every HTTP function answers with that row, through its real handler:
the links pages show the row's title and text, the request form its message, the JSON APIs a problem."""

from __future__ import annotations

import json

import pytest
from markupsafe import escape

from local.lambdas import invoke
from local.world import REQUEST
from warm_intro import bodies, refusals
from warm_intro.domain import delivery, errors
from warm_intro.domain.errors import AlreadyDecided, InvalidInput
from warm_intro.refusals import REFUSALS, refusal
from warm_intro.services import intake, links, personal_data

from .steps import GRACE, awaiting_connector

MESSAGE = "A sentence written for the person who reads it."


def every_subclass(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        found += [sub, *every_subclass(sub)]
    return found


REFUSED = sorted({*every_subclass(errors.DomainError), *every_subclass(bodies.Unreadable)}, key=str)
# Built without an introduction, AlreadyDecided is met on a real one below.
RAISED = [kind for kind in REFUSED if kind is not AlreadyDecided]


def sample(kind: type[Exception]) -> Exception:
    return kind("email", MESSAGE) if issubclass(kind, InvalidInput) else kind(MESSAGE)


def test_there_are_refusals_to_check():
    assert {
        errors.InvalidLink,
        errors.Conflict,
        delivery.NothingToSend,
        refusals.CrossSite,
        bodies.TooLarge,
    } <= set(REFUSED)


@pytest.mark.parametrize("kind", REFUSED, ids=lambda k: k.__name__)
def test_every_refusal_has_its_own_row_a_4xx_a_title_and_text(kind):
    assert kind in REFUSALS, f"{kind.__name__} has no row in refusals.REFUSALS"
    row = REFUSALS[kind]
    assert 400 <= row.status < 500
    assert row.title.strip()
    error = sample(kind) if kind is not AlreadyDecided else AlreadyDecided.__new__(AlreadyDecided)
    assert refusal(error) is row
    assert row.text.strip() or row.tells, "a page needs something to say"


def test_a_link_never_says_which_part_was_wrong():
    for kind in (errors.InvalidLink, errors.LinkExpired, errors.NotAllowed, errors.Conflict, AlreadyDecided):
        assert not REFUSALS[kind].tells


def page_says(text: str, title: str, lines: list[str]) -> None:
    assert f"<h1>{escape(title)}</h1>" in text
    for line in lines:
        assert escape(line) in text


@pytest.mark.parametrize("kind", RAISED, ids=lambda k: k.__name__)
def test_the_links_pages_answer_with_the_row(world, monkeypatch, kind):
    error = sample(kind)

    def refuse(*_, **__):
        raise error

    monkeypatch.setattr(links, "open_link", refuse)
    answer = world.get("/link/some-intro.some-secret")
    row = refusal(error)
    assert answer.status == row.status
    assert answer.headers["content-type"].startswith("text/html")
    page_says(answer.text, row.title, row.lines(error))
    assert (MESSAGE in answer.text) is row.tells


def test_the_links_page_for_an_answered_request_shows_where_it_stands_with_the_rows_notice(world):
    awaiting_connector(world)
    link = world.last_link(GRACE)
    assert world.post_form(link, {"decision": "decline"}).status == 200
    answer = world.post_form(link, {"decision": "approve"})
    row = REFUSALS[AlreadyDecided]
    assert answer.status == row.status
    assert escape(row.text) in answer.text and 'name="decision"' not in answer.text


@pytest.mark.parametrize("kind", RAISED, ids=lambda k: k.__name__)
def test_the_json_api_answers_with_the_rows_status_and_the_errors_message(world, monkeypatch, kind):
    error = sample(kind)

    def refuse(*_, **__):
        raise error

    monkeypatch.setattr(intake, "submit", refuse)
    answer = world.ask()
    assert answer.status == refusal(error).status
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {"message": MESSAGE, "errors": []}


@pytest.mark.parametrize("kind", RAISED, ids=lambda k: k.__name__)
def test_the_request_form_answers_with_the_rows_status_and_the_errors_message(world, monkeypatch, kind):
    error = sample(kind)

    def refuse(*_, **__):
        raise error

    monkeypatch.setattr(intake, "submit", refuse)
    form = {
        "requester_name": REQUEST["requester"]["name"],
        "requester_email": REQUEST["requester"]["email"],
        "connector_email": REQUEST["connector_email"],
        "target_name": REQUEST["target"]["name"],
        "blurb": REQUEST["blurb"],
    }
    answer = world.post_form("/", form)
    assert answer.status == refusal(error).status
    assert escape(MESSAGE) in answer.text and 'name="blurb"' in answer.text  # the form, kept


@pytest.mark.parametrize("kind", RAISED, ids=lambda k: k.__name__)
def test_the_admin_api_answers_with_the_rows_status_and_the_errors_message(world, monkeypatch, kind):
    error = sample(kind)

    def refuse(*_, **__):
        raise error

    monkeypatch.setattr(personal_data, "export", refuse)
    event = {
        "version": "2.0",
        "routeKey": "POST /admin/export",
        "rawPath": "/admin/export",
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "isBase64Encoded": False,
        "body": json.dumps({"email": "ada@example.org"}),
        "requestContext": {
            "http": {"method": "POST", "path": "/admin/export", "sourceIp": "10.0.0.1"},
            "authorizer": {"iam": {"userArn": "arn:aws:iam::123456789012:user/admin"}},
            "stage": "$default",
            "requestId": "r",
        },
    }
    answer = invoke("AdminFunction", event)
    assert answer["statusCode"] == refusal(error).status
    assert json.loads(answer["body"]) == {"message": MESSAGE, "errors": []}
