"""Signing in at /me: the same answer for every address, links that work once for 15 minutes, and
sessions that end on sign-out, expiry, erasure and member removal, behind a host-only cookie."""

from __future__ import annotations

from warm_intro import runtime
from warm_intro.domain.errors import MailRefused
from warm_intro.domain.hashing import address_hash
from warm_intro.services import membership, personal_data

from .home_steps import Browser, signin_links
from .steps import ADA, ALAN, awaiting_target

NOBODY = "nobody@example.net"


def test_the_form_answers_the_same_bytes_after_the_same_calls_for_known_unknown_and_suppressed(world):
    runtime.repository().suppress(
        str(address_hash("katherine@example.org", world.settings.hash_key)), "bounce", 1
    )
    calls: list[str] = []

    def record(model, **_):
        calls.append(model.name)

    client = runtime.client("dynamodb")
    answers, work = {}, {}
    for i, email in enumerate([ADA, NOBODY, "katherine@example.org", "not an address"]):
        calls.clear()
        client.meta.events.register("before-parameter-build.dynamodb.*", record)
        try:
            answers[email] = Browser(world, source_ip=f"198.51.100.{i}").post("/me", {"email": email})
        finally:
            client.meta.events.unregister("before-parameter-build.dynamodb.*", record)
        work[email] = list(calls)
    assert {a.status for a in answers.values()} == {200}
    assert len({a.body for a in answers.values()}) == 1
    assert len({tuple(sorted(a.headers.items())) for a in answers.values()}) == 1
    # The page's own work is the same for every readable address (two limits, one ask), so its
    # timing can't tell who is known: the notifier decides, later (services.signin.send_link).
    assert (
        work[ADA] == work[NOBODY] == work["katherine@example.org"] == ["UpdateItem", "UpdateItem", "PutItem"]
    )
    assert world.mail() == []  # nothing yet: the page never waits for mail
    world.deliver()
    assert len(world.mail()) == 1  # the known, unsuppressed address only
    assert len(signin_links(world, ADA)) == 1
    assert world.mail_to(NOBODY) == [] and world.mail_to("katherine@example.org") == []


def test_a_requester_and_an_asked_target_are_known_a_typed_in_target_is_not(world):
    awaiting_target(world)  # Alan has been asked
    world.ask(
        requester={"name": "Joan Clarke", "email": "joan@example.net"},  # not a member: a request is enough
        target={"name": "Mavis Batey", "email": "mavis@example.net"},  # typed in, never asked
    )
    world.deliver()
    for email in ("joan@example.net", ALAN, "mavis@example.net"):
        Browser(world).post("/me", {"email": email})
    world.deliver()
    assert len(signin_links(world, "joan@example.net")) == 1
    assert len(signin_links(world, ALAN)) == 1
    assert world.mail_to("mavis@example.net") == []


def test_a_sign_in_link_opens_any_number_of_times_and_signs_in_once(world):
    browser = Browser(world)
    browser.post("/me", {"email": ADA})
    world.deliver()
    path = signin_links(world, ADA)[-1].removeprefix("https://intros.example.org")
    for _ in range(3):  # mail scanners open it first: nothing is spent
        page = world.gateway.request("GET", path)
        assert page.status == 200 and "Sign in" in page.text and "set-cookie" not in page.headers
    signed = browser.post(path)
    assert signed.status == 303 and signed.headers["location"] == "/me"
    assert "Signed in as ada@example.org" in browser.get("/me").text
    again = Browser(world).post(path)
    assert again.status == 404 and "set-cookie" not in again.headers
    assert world.gateway.request("GET", path).status == 404


def test_a_sign_in_link_expires_after_fifteen_minutes(world):
    browser = Browser(world)
    browser.post("/me", {"email": ADA})
    world.deliver()
    path = signin_links(world, ADA)[-1].removeprefix("https://intros.example.org")
    world.advance(seconds=15 * 60)
    assert browser.post(path).status == 404
    assert browser.cookie is None


def test_the_session_cookie_is_host_only_http_only_secure_and_lax(world):
    answer = Browser(world).sign_in(ADA)
    cookie = answer.headers["set-cookie"]
    name, _, rest = cookie.partition("=")
    flags = [f.strip() for f in cookie.split(";")[1:]]
    assert name == "__Host-session"
    assert len(rest.split(";")[0]) >= 43  # 256 random bits
    assert set(flags) == {"Path=/", "Max-Age=604800", "HttpOnly", "SameSite=Lax", "Secure"}
    assert not any(f.lower().startswith("domain") for f in flags)


def test_a_session_is_refused_after_sign_out(world):
    browser = Browser(world)
    browser.sign_in(ADA)
    cookie = browser.cookie
    out = browser.post("/me/signout", {"csrf": browser.csrf()})
    assert out.status == 303 and out.headers["set-cookie"].startswith("__Host-session=;")
    stale = world.gateway.request("GET", "/me", headers={"cookie": cookie})
    assert "Sign in to your introductions" in stale.text and "ada@example.org" not in stale.text


def test_a_session_is_refused_after_it_expires(world):
    browser = Browser(world)
    browser.sign_in(ADA)
    world.advance(days=7)
    assert "Sign in to your introductions" in browser.get("/me").text
    assert browser.get("/me/settings").status == 303


def test_a_session_is_refused_after_erasure_by_the_administrator(world):
    browser = Browser(world)
    browser.sign_in(ADA)
    personal_data.erase(world.settings.hash_key, runtime.repository(), ADA, world.now)
    assert "Sign in to your introductions" in browser.get("/me").text


def test_a_session_is_refused_after_member_removal(world):
    browser = Browser(world)
    browser.sign_in(ADA)
    membership.remove(runtime.repository(), world.settings.hash_key, ADA, world.now, policy="members")
    assert "Sign in to your introductions" in browser.get("/me").text


def test_a_cross_site_post_with_a_valid_session_is_refused_and_changes_nothing(world):
    browser = Browser(world)
    browser.sign_in(ADA)
    token = browser.csrf()
    for headers in ({"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"}):
        refused = browser.post("/me/settings", {"csrf": token, "action": "never"}, headers=headers)
        assert refused.status == 403
    assert browser.post("/me/settings", {"action": "never"}).status == 403  # no token
    assert browser.post("/me/settings", {"csrf": "x" * 43, "action": "never"}).status == 403
    assert "Never ask me again</button>" in browser.get("/me/settings").text
    assert not runtime.repository().suppressed([address_hash(ADA, world.settings.hash_key)])


def test_sign_in_links_are_limited_per_address_and_per_network_with_the_same_answer(world):
    first = Browser(world, source_ip="203.0.113.1").post("/me", {"email": ADA})
    for i in range(2, 6):
        assert Browser(world, source_ip=f"203.0.113.{i}").post("/me", {"email": ADA}).body == first.body
    world.deliver()
    assert len(signin_links(world, ADA)) == 3  # LimitSigninHour
    one_network = Browser(world, source_ip="192.0.2.9")
    for _ in range(12):
        assert one_network.post("/me", {"email": "grace@example.org"}).body == first.body
    world.deliver()
    assert len(signin_links(world, "grace@example.org")) == 3
    world.advance(hours=1)
    Browser(world).post("/me", {"email": ADA})
    world.deliver()
    assert len(signin_links(world, ADA)) == 4


def test_a_mail_service_refusal_mails_nothing_retries_nothing_and_asking_again_works(world, monkeypatch):
    def refuse(*_, **__):
        raise MailRefused("throttled")

    with monkeypatch.context() as patch:
        patch.setattr(runtime.mailer(), "send", refuse)
        Browser(world, source_ip="198.51.100.21").post("/me", {"email": ADA})
        world.deliver()
    assert world.mail() == [] and world.pump_.dead_letters == []  # not retried: two live links, never
    world.deliver()
    assert world.mail() == []  # the ask was taken once
    Browser(world, source_ip="198.51.100.21").post("/me", {"email": ADA})
    world.deliver()
    assert len(signin_links(world, ADA)) == 1
