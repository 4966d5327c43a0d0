"""A signed-in person's own request or proposal needs no "confirm your address" step: the session
proved it. Same limits, same answers whoever the connector is, and the confirmation ledger holds
nothing for it (their next unsigned request is mailed at once)."""

from __future__ import annotations

from warm_intro import runtime
from warm_intro.domain.note_coach import fingerprint

from .home_steps import Browser
from .steps import ADA, GRACE

NOTE = "I'm Ada, I write about computing engines. I'd love 20 minutes to ask Alan about his reading group."
REQUEST = {
    "requester_name": "Ada Lovelace",
    "requester_email": ADA,
    "connector_email": GRACE,
    "target_name": "Alan Turing",
    "target_email": "alan@example.net",
    "blurb": NOTE,
}
JOAN = {"target_name": "Joan Clarke", "target_email": "joan@example.net"}


def req(**changes: str) -> dict[str, str]:
    """The form as sent again after the note coach's hints, so a note goes as written."""
    form = {**REQUEST, **changes}
    return {**form, "coached": fingerprint(form["blurb"])}


def only(world, email: str) -> list[str]:
    """Subjects mailed to `email`, sign-in links left out."""
    return [m["subject"] for m in world.mail_to(email) if "/me/signin/" not in m["text"]]


def intros(world) -> list:
    items = runtime.repository().client.scan(TableName=world.settings.table_name)["Items"]
    ids = [e["pk"]["S"].removeprefix("INTRO#") for e in items if e["pk"]["S"].startswith("INTRO#")]
    return [world.intro(i) for i in ids]


def newest(world):
    return max(intros(world), key=lambda i: i.created_at)


def test_the_form_knows_who_is_signed_in(world):
    ada = Browser(world)
    ada.sign_in(ADA)
    page = ada.get("/").text
    assert f'value="{ADA}"' in page and 'value="Ada Lovelace"' in page and 'name="csrf"' in page
    assert f"signed in as <strong>{ADA}</strong>" in page
    stranger = Browser(world).get("/").text
    assert 'name="csrf"' not in stranger and ADA not in stranger


def test_a_signed_in_request_goes_to_the_connector_with_no_confirmation_mail(world):
    ada = Browser(world)
    ada.sign_in(ADA)
    sent = ada.post("/", req(csrf=ada.csrf("/")))
    assert sent.status == 200 and "Your request is on its way" in sent.text
    world.deliver()
    intro = newest(world)
    assert intro.state.value == "awaiting_connector"
    last = intro.history[-1]
    assert (last.actor.value, last.action, last.via) == ("requester", "confirm", "signed-in:v1")
    assert only(world, ADA) == []  # no "confirm your request" mail
    assert len(only(world, GRACE)) == 1  # the connector's ask
    # Nothing waits in the confirmation ledger: a request sent unsigned right after is mailed at once.
    assert "Check your email" in Browser(world).post("/", req(**JOAN)).text
    world.deliver()
    assert len(only(world, ADA)) == 1


def test_the_answer_is_the_same_whoever_the_connector_is(world):
    ada = Browser(world)
    ada.sign_in(ADA)
    member = ada.post("/", req(csrf=ada.csrf("/")))
    stranger = ada.post("/", req(**JOAN, connector_email="eve@example.com", csrf=ada.csrf("/")))
    assert member.status == stranger.status == 200 and member.body == stranger.body
    world.deliver()
    (to_eve,) = [i for i in intros(world) if i.connector.email == "eve@example.com"]
    assert to_eve.state.value == "refused"  # told afterwards, as after a click on the link
    assert only(world, "eve@example.com") == []


def test_another_address_a_missing_token_or_a_stale_one_is_confirmed_by_email(world):
    ada = Browser(world)
    ada.sign_in(ADA)
    for form in (
        req(**JOAN, requester_email="ada.lovelace@example.net", csrf=ada.csrf("/")),  # not her address
        req(),  # no token
        req(target_name="Dilly Knox", target_email="dilly@example.net", csrf="x" * 43),  # not hers
    ):
        answer = ada.post("/", form)
        assert answer.status == 200 and "Check your email" in answer.text
    world.deliver()
    assert len(only(world, "ada.lovelace@example.net")) == 1
    assert len(only(world, ADA)) == 1  # the second waits for the first to be answered, as always
    assert only(world, GRACE) == []


def test_the_requesters_own_limits_hold_for_a_signed_in_request(world):
    ada = Browser(world)
    ada.sign_in(ADA)
    assert "on its way" in ada.post("/", req(csrf=ada.csrf("/"))).text
    again = ada.post("/", req(csrf=ada.csrf("/")))
    assert again.status == 429 and "already have a request open" in again.text
    world.deliver()
    assert len(only(world, GRACE)) == 1


def test_a_signed_in_proposal_asks_the_first_person_at_once(world):
    from .test_proposals import FORM
    from .test_proposals import JOAN as JOAN_EMAIL

    grace = Browser(world)
    grace.sign_in(GRACE)
    page = grace.get("/introduce").text
    assert f'value="{GRACE}"' in page and 'value="Grace Hopper"' in page
    form = {**FORM, "coached": fingerprint(FORM["note"]), "csrf": grace.csrf("/introduce")}
    sent = grace.post("/introduce", form)
    assert sent.status == 200 and "Your introduction is on its way" in sent.text
    world.deliver()
    assert only(world, GRACE) == []  # no confirmation mail
    assert len(only(world, JOAN_EMAIL)) == 1  # asked first by default
    assert newest(world).state.value == "awaiting_target"


def test_a_cross_site_post_with_a_valid_session_and_token_sends_nothing(world):
    ada = Browser(world)
    ada.sign_in(ADA)
    token = ada.csrf("/")
    for headers in (
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "", "origin": "https://evil.example"},
    ):
        answer = ada.post("/", req(csrf=token), headers=headers)
        assert answer.status == 403
    world.deliver()
    assert intros(world) == [] and only(world, ADA) == [] and only(world, GRACE) == []
