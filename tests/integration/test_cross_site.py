"""A hidden form on another web site can't spend its visitors' allowances or mail a victim from
their browsers: a cross-site POST to the form or the API is refused with a friendly 403 and changes
nothing; our own page's post and API clients (which send no browser headers) go through."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlencode

import pytest

from local.world import REQUEST
from warm_intro import runtime
from warm_intro.web import cross_site

OURS = "https://intros.example.org"
FORM = urlencode(
    {
        "requester_name": "Ada Lovelace",
        "requester_email": "victim@example.com",
        "connector_email": "grace@example.org",
        "target_name": "Alan Turing",
        "blurb": REQUEST["blurb"],
    }
).encode()


def post_form(world, **headers):
    return world.request(
        "POST", "/", headers={"content-type": "application/x-www-form-urlencoded", **headers}, body=FORM
    )


def nothing_happened(world) -> bool:
    world.deliver()
    items = runtime.repository().client.scan(TableName=world.settings.table_name)["Items"]
    return world.mail() == [] and not any(i["pk"]["S"].startswith("INTRO#") for i in items)


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site", "origin": "https://evil.example"},
        {"sec-fetch-site": "same-site", "origin": "https://blog.example.org"},  # a sibling site is not us
        {"origin": "https://evil.example"},  # an older browser: Origin only
        {"origin": "null"},  # a sandboxed frame or a data: page
    ],
)
def test_a_cross_site_form_post_gets_a_friendly_403_and_changes_nothing(world, headers):
    answer = post_form(world, **headers)
    assert answer.status == 403 and answer.headers["content-type"].startswith("text/html")
    assert "can only be sent from our own page" in answer.text and 'href="/"' in answer.text
    assert answer.headers["x-frame-options"] == "DENY"
    assert nothing_happened(world)


def test_a_cross_site_post_to_the_api_is_refused_too(world):
    # Whatever a page manages to send (text/plain bodies already get 415), the browser says where it came from.
    answer = world.request(
        "POST",
        "/intros",
        headers={
            "content-type": "application/json",
            "sec-fetch-site": "cross-site",
            "origin": "https://evil.example",
        },
        body=json.dumps(REQUEST).encode(),
    )
    assert answer.status == 403 and "own page" in answer.json()["message"]
    assert nothing_happened(world)


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "same-origin", "origin": OURS},
        {"origin": OURS},
        {"sec-fetch-site": "none"},
        {},  # curl, scripts, server-side integrations: no browser headers at all
    ],
)
def test_our_own_page_and_api_clients_go_through(world, headers):
    answer = post_form(world, **headers)
    assert answer.status == 200 and "Please use our own page" not in answer.text
    world.deliver()
    assert len(world.mail_to("victim@example.com")) == 1


def test_the_api_without_browser_headers_still_answers_202(world):
    assert world.ask().status == 202


def test_without_base_url_our_origin_is_the_domain_api_gateway_served(world):
    settings = replace(world.settings, base_url="")
    assert not cross_site(
        {"origin": "https://abc.execute-api.eu-west-1.amazonaws.com"},
        "abc.execute-api.eu-west-1.amazonaws.com",
        settings,
    )
    assert cross_site({"origin": "https://evil.example"}, "abc.execute-api.eu-west-1.amazonaws.com", settings)
