"""Every page in every shipped language and both pseudo-locales, through the real handlers (right
lang and dir, no word outside a catalog), and one whole introduction across three languages: a
German-speaking requester, a French organisation, a target who switches to Spanish."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.visible import Visible, untranslated
from warm_intro import runtime
from warm_intro.domain.languages import PSEUDO, SHIPPED, direction
from warm_intro.views.catalogs import translations

from .steps import ADA, ALAN, GRACE, tick
from .test_pages_words import LINE, every_page

TYPED = (
    "Ada Lovelace",
    "Alan Turing",
    "Grace Hopper",
    "Bletchley Circle",
    LINE,
    "I'm Ada, I write about computing engines; twenty minutes with Alan would help.",
)
FORM = {
    "requester_name": "Ada Lovelace",
    "requester_email": ADA,
    "connector_email": GRACE,
    "target_name": "Alan Turing",
    "blurb": "I'm Ada, I write about computing engines; twenty minutes with Alan would help.",
}


def speak(world, monkeypatch, code: str) -> None:
    """The world's visitor picks `code` with the switch on every page, and answers in it."""
    get, post = world.get, world.post_form
    monkeypatch.setattr(world, "get", lambda url: get(url + ("&" if "?" in url else "?") + f"lang={code}"))
    monkeypatch.setattr(world, "post_form", lambda url, data: post(url, {**data, "language": code}))


@pytest.mark.parametrize("code", [*SHIPPED, *PSEUDO])
def test_every_page_is_in_the_language_picked_with_the_right_direction(world, monkeypatch, code):
    speak(world, monkeypatch, code)
    pages = every_page(world)
    assert len(pages) == 13
    about = translations(code).gettext("About this service and your data")
    for name, html in pages.items():
        page = Visible(html)
        assert page.root == {"lang": code, "dir": direction(code)}, name
        assert about in page.text, name
        # The switch: every shipped language, each named in itself.
        assert all(f'lang="{other}"' in html for other in SHIPPED), name
        if code in PSEUDO:
            assert untranslated(page.text, TYPED) == [], name


def lang_of(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def mail(world, address: str) -> dict:
    return world.mail_to(address)[-1]


def test_a_german_requester_a_french_organisation_and_a_target_who_reads_spanish(world, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "fr")
    runtime.reset()
    # The requester's browser prefers German: the form is in German and says so when it is sent.
    form = world.request("GET", "/", headers={"accept-language": "de-CH,de;q=0.9,en;q=0.4"})
    assert lang_of(form.text) == "de" and 'name="language" value="de"' in form.text
    assert "Um eine persönliche Vorstellung bitten" in form.text
    sent = world.post_form("/", {**FORM, "language": "de"})
    assert lang_of(sent.text) == "de" and "Schauen Sie in Ihr Postfach" in sent.text
    world.deliver()
    confirm = mail(world, ADA)
    assert confirm["headers"]["Content-Language"] == "de"
    assert confirm["subject"] == "Bitte bestätigen Sie Ihre Anfrage nach einer Vorstellung"
    assert "in 24 Stunden" in confirm["text"]
    link = world.last_link(ADA)
    page = world.get(link)  # no header, no switch: the language the requester chose
    assert lang_of(page.text) == "de"
    world.post_form(link, {"decision": "confirm", "language": "de"})
    world.deliver()

    # The connector has chosen nothing: the organisation's French.
    ask = mail(world, GRACE)
    assert ask["headers"]["Content-Language"] == "fr"
    assert ask["subject"] == "Accepteriez-vous de présenter Ada Lovelace à Alan Turing ?"
    review = world.last_link(GRACE)
    assert lang_of(world.get(review).text) == "fr"
    world.post_form(review, {"decision": "approve", "target_email": ALAN, "language": "fr"})
    world.deliver()

    # The target reads the ask in French, switches the page to Spanish and answers there.
    asked = mail(world, ALAN)
    assert asked["headers"]["Content-Language"] == "fr" and "Aimeriez-vous rencontrer" in asked["text"]
    consent = world.last_link(ALAN)
    spanish = world.get(consent + "?lang=es")
    assert lang_of(spanish.text) == "es" and "¿Te gustaría conocer a Ada Lovelace?" in spanish.text
    said = world.post_form(consent, {"decision": "accept", "language": "es"})
    assert lang_of(said.text) == "es" and "Has dicho que sí" in said.text
    world.deliver()

    # Three readers, three languages: the introduction is in the organisation's.
    introduction = mail(world, ALAN)
    assert introduction["subject"] == "Mise en relation : Ada Lovelace / Alan Turing"
    assert introduction["headers"]["Content-Language"] == "fr"
    # Alan's choice is remembered: his own link now opens in Spanish (the introduction's opt-out link,
    # shared by all three, stays in the organisation's language).
    assert lang_of(world.get(consent).text) == "es"
    assert lang_of(world.get(world.last_link(ALAN, kind="optout")).text) == "fr"

    world.advance(days=8)
    tick(world)
    followup = mail(world, ADA)
    assert followup["headers"]["Content-Language"] == "de"
    assert followup["subject"] == "Haben Sie und Alan Turing zueinander gefunden?"
    world.post_form(world.last_link(ADA), {"decision": "yes", "language": "de"})
    world.deliver()
    thanks = mail(world, GRACE)
    assert thanks["headers"]["Content-Language"] == "fr"
    assert thanks["subject"] == "Merci : Ada Lovelace et Alan Turing ont pu échanger"


def test_a_member_imported_with_a_language_is_asked_in_it(world):
    repo = runtime.repository()
    assert repo.put_member(GRACE, "Grace Hopper", "de") is True
    assert repo.put_member(GRACE, "Grace Hopper", "de") is False  # nothing changed
    assert repo.put_member(GRACE, "Grace Hopper") is False  # no language column: the stored one stays
    assert repo.member_language(GRACE) == "de"
    world.post_form("/", FORM)
    world.deliver()
    link = world.last_link(ADA)
    world.post_form(link, {"decision": "confirm"})
    world.deliver()
    ask = mail(world, GRACE)
    assert ask["headers"]["Content-Language"] == "de"
    assert ask["subject"] == "Würden Sie Ada Lovelace mit Alan Turing bekannt machen?"
    assert mail(world, ADA)["headers"]["Content-Language"] == "en"  # the requester: the form's language
    assert repo.put_member(GRACE, "Grace Hopper", "") is True  # an empty cell forgets it
    assert repo.member_language(GRACE) is None


PROPOSAL_FORM = {
    "connector_name": "Grace Hopper",
    "connector_email": GRACE,
    "a_name": "Alan Turing",
    "a_email": ALAN,
    "a_about": "runs the Bletchley reading group",
    "b_name": "Ada Lovelace",
    "b_email": ADA,
    "note": "Alan runs the Bletchley reading group and Ada is starting one; they'd enjoy comparing notes.",
}
PROPOSAL_TYPED = (*TYPED, PROPOSAL_FORM["note"], PROPOSAL_FORM["a_about"])


def every_proposal_page(world) -> dict[str, str]:
    """One of each page a proposal shows, by name: its form, what follows it, and each link's page
    before and after its answer, for the connector and each of the two."""
    pages = {"form": world.get("/introduce").text}
    pages["sent"] = world.post_form("/introduce", PROPOSAL_FORM).text
    world.deliver()
    confirm = world.last_link(GRACE)
    pages["confirm"] = world.get(confirm).text
    pages["confirmed"] = world.post_form(confirm, {"decision": "confirm"}).text
    world.deliver()
    first = world.last_link(ADA)  # the second named is asked first
    pages["first's consent"] = world.get(first).text
    pages["opt-out"] = world.get(world.last_link(ADA, kind="optout")).text
    pages["first said yes"] = world.post_form(first, {"decision": "accept"}).text
    world.deliver()
    second = world.last_link(ALAN)
    pages["second's consent"] = world.get(second).text
    pages["introduced"] = world.post_form(second, {"decision": "accept"}).text
    world.deliver()
    pages["connector's news"] = world.get(confirm).text
    world.advance(days=8)
    tick(world)
    followup = world.last_link(ADA)
    pages["followup"] = world.get(followup).text
    pages["thanked"] = world.post_form(followup, {"decision": "yes"}).text
    return pages


@pytest.mark.parametrize("code", [*SHIPPED, *PSEUDO])
def test_every_page_of_a_proposal_is_in_the_language_picked(world, monkeypatch, code):
    speak(world, monkeypatch, code)
    pages = every_proposal_page(world)
    assert len(set(pages.values())) == len(pages) == 12
    _ = translations(code).gettext
    for name, html in pages.items():
        page = Visible(html)
        assert page.root == {"lang": code, "dir": direction(code)}, name
        assert _("About this service and your data") in page.text, name
        if code in PSEUDO:
            assert untranslated(page.text, PROPOSAL_TYPED) == [], name
    assert _("Introduce two people") in Visible(pages["form"]).text
    assert _("Would you like to meet %(r)s?") % {"r": "Alan Turing"} in Visible(pages["first's consent"]).text
    assert _("They've been introduced") in Visible(pages["connector's news"]).text


def every_home_page(world, code: str) -> dict[str, str]:
    """One of each page of the members' home, by name, read in `code` as picked with the switch (a
    form sends the language it was shown in), and the sign-in mail it sends."""
    from warm_intro.domain.note_coach import fingerprint

    from .home_steps import Browser, signin_links
    from .steps import awaiting_connector

    awaiting_connector(world)
    lang = f"lang={code}"
    grace, ada = Browser(world), Browser(world)
    pages = {"sign in": grace.get(f"/me?{lang}").text}
    pages["link sent"] = grace.post("/me", {"email": GRACE, "language": code}).text
    world.deliver()  # the notifier mails the link, off the request's path
    pages["sign-in mail"] = world.mail_to(GRACE)[-1]["html"]
    link = signin_links(world, GRACE)[-1].removeprefix("https://intros.example.org")
    pages["sign in here"] = grace.get(f"{link}?{lang}").text
    grace.post(link)
    pages["home, asked"] = grace.get(f"/me?{lang}").text
    pages["settings"] = grace.get(f"/me/settings?{lang}").text
    csrf = grace.csrf("/me/settings")
    listed = {"csrf": csrf, "action": "findable", "line": "compilers, the Navy", "language": code}
    pages["listed"] = grace.post("/me/settings", listed).text
    until = time.strftime("%Y-%m-%d", time.gmtime(world.now + 10 * 86400))
    pause = {"csrf": csrf, "action": "pause", "until": until, "language": code}
    pages["paused"] = grace.post("/me/settings", pause).text
    wrong = {"csrf": csrf, "action": "limit", "week_limit": "many", "language": code}
    pages["settings, refused"] = grace.post("/me/settings", wrong).text
    over = {"csrf": csrf, "action": "limit", "week_limit": "99", "language": code}
    pages["settings, out of range"] = grace.post("/me/settings", over).text
    pages["erase?"] = grace.get(f"/me/erase?{lang}").text
    pages["not found"] = grace.get(f"/me/nowhere?{lang}").text
    ada.sign_in(ADA)
    pages["home, asking"] = ada.get(f"/me?{lang}").text
    pages["form, found"] = ada.get(f"/?find=compilers&{lang}").text
    pages["form, none found"] = ada.get(f"/?find=cobol&{lang}").text
    note = (
        "I'm Ada, I write about computing engines. I'd love 20 minutes to ask Alan about his reading group."
    )
    request = {**FORM, "target_name": "Joan Clarke", "blurb": note, "coached": fingerprint(note)}
    sent = {**request, "csrf": ada.csrf("/"), "language": code}
    pages["request sent"] = ada.post("/", sent).text
    pages["erased"] = grace.post("/me/erase", {"csrf": csrf, "confirm": "erase", "language": code}).text
    return pages


@pytest.mark.parametrize("code", [*SHIPPED, *PSEUDO])
def test_every_page_of_the_members_home_and_its_mail_are_in_the_language_picked(world, code):
    pages = every_home_page(world, code)
    assert len(set(pages.values())) == len(pages) == 17
    _ = translations(code).gettext
    (signin_mail,) = [m for m in world.mail_to(GRACE) if "/me/signin/" in m["text"]]
    assert signin_mail["headers"]["Content-Language"] == code
    until = time.strftime("%Y-%m-%d", time.gmtime(world.now + 10 * 86400))
    typed = (*TYPED, "compilers, the Navy", "cobol", GRACE, ADA, until, "Joan Clarke")
    for name, html in pages.items():
        page = Visible(html)
        assert page.root == {"lang": code, "dir": direction(code)}, name
        assert _("About this service and your data") in page.text, name
        if code in PSEUDO:
            assert untranslated(page.text, typed) == [], name
    if code in PSEUDO:
        assert untranslated(signin_mail["subject"]) == [] and untranslated(signin_mail["text"]) == []
    assert _("Your introductions") in Visible(pages["home, asked"]).text
    assert _("Saved.") in Visible(pages["paused"]).text
    assert _("Please give a whole number.") in Visible(pages["settings, refused"]).text
    most = world.settings.limits.connector_per_week
    assert (
        _("Please choose a number from 1 to %(most)s.") % {"most": most}
        in Visible(pages["settings, out of range"]).text
    )
    assert _("Your request is on its way") in Visible(pages["request sent"]).text


def test_a_button_on_a_home_page_leads_to_a_page_in_the_same_language(world):
    from .home_steps import Browser, signin_links
    from .steps import awaiting_connector

    awaiting_connector(world)
    grace = Browser(world)
    grace.post("/me", {"email": GRACE, "language": "de"})
    world.deliver()
    link = signin_links(world, GRACE)[-1].removeprefix("https://intros.example.org")
    assert grace.post(f"{link}?lang=de").headers["location"] == "/me?lang=de"  # the sign-in page's own
    home = grace.get("/me?lang=fr").text
    intro, role = re.search(
        r'action="/me/open/([^"]+)">.*?name="role" value="(\w+)"', home, re.DOTALL
    ).groups()
    opened = grace.post(f"/me/open/{intro}", {"csrf": grace.csrf(), "role": role, "language": "fr"})
    location = opened.headers["location"]
    assert re.fullmatch(r"/link/[\w.-]+\?lang=fr", location)
    path, query = location.split("?")
    assert lang_of(world.gateway.request("GET", path, query=query).text) == "fr"
    # A browser that prefers German already shows German: nothing to carry.
    german = {"accept-language": "de-DE,de;q=0.9"}
    out = grace.post("/me/signout", {"csrf": grace.csrf(), "language": "de"}, headers=german)
    assert out.status == 303 and out.headers["location"] == "/me"


def every_form_answer(world, code: str) -> dict[str, str]:
    """The request and proposal forms sent back with the note coach's hints, with each field's own
    message, and refused by a limit whose message the page shows: each sent from the form in `code`."""
    short = "Hi [name], can we talk?"  # short, with a placeholder, greeting someone it isn't for
    long = "I'd love to ask about the reading group. " + "More about it. " * 60  # long
    wrong = {
        "requester_name": "Ada\x07",
        "requester_email": "not an address",
        "connector_email": "",
        "blurb": "Hi",
    }
    pages = {
        "request, hints": world.post_form("/", {**FORM, "blurb": short, "language": code}).text,
        "request, long": world.post_form("/", {**FORM, "blurb": long, "language": code}).text,
        "request, fields": world.post_form("/", {**FORM, **wrong, "language": code}).text,
        "proposal, hints": world.post_form(
            "/introduce", {**PROPOSAL_FORM, "note": "Dear Bob, [x]", "language": code}
        ).text,
        "proposal, fields": world.post_form(
            "/introduce", {**PROPOSAL_FORM, "a_email": ADA, "b_name": "", "note": "Hi", "language": code}
        ).text,
    }
    world.post_form("/", {**FORM, "language": code})
    world.deliver()
    world.post_form(world.last_link(ADA), {"decision": "confirm"})
    world.post_form("/", {**FORM, "blurb": FORM["blurb"] + " Please?", "language": code})
    world.deliver()
    again = world.last_link(ADA)  # the same person asked for while the first request is open
    pages["request, limit"] = world.post_form(
        f"{again}?lang={code}", {"decision": "confirm", "language": code}
    ).text
    return pages


@pytest.mark.parametrize("code", [*SHIPPED, *PSEUDO])
def test_the_forms_hints_field_messages_and_refusals_are_in_the_forms_language(world, code):
    pages = every_form_answer(world, code)
    _ = translations(code).gettext
    long = "I'd love to ask about the reading group. " + "More about it. " * 60
    typed = (
        *PROPOSAL_TYPED,
        long,
        "Hi [name], can we talk?",
        "[name]",
        "[x]",
        "Bob",
        "Dear Bob, [x]",
        "Hi",
        "Ada",
    )
    for name, html in pages.items():
        page = Visible(html)
        assert page.root == {"lang": code, "dir": direction(code)}, name
        if code in PSEUDO:
            assert untranslated(page.text, typed) == [], name
    hints = Visible(pages["request, hints"]).text
    assert (
        _("It still has a placeholder, “%(placeholder)s”: fill it in before sending.")
        % {"placeholder": "[name]"}
        in hints
    )
    assert _("That doesn't look like an email address.") in Visible(pages["request, fields"]).text
    proposal = Visible(pages["proposal, fields"]).text
    assert _("Please give a name.") in proposal
    assert _("Please write at least %(least)s characters.") % {"least": 20} in proposal
    said = translations(code).ngettext(
        "It's %(num)s word; under about %(most)s reads best on a phone.",
        "It's %(num)s words; under about %(most)s reads best on a phone.",
        2,
    )
    assert said.split("%(num)s")[0] in Visible(pages["request, long"]).text
    assert (
        _(
            "You already have a request open for an introduction to this person. "
            "Please wait for it to finish before asking again."
        )
        in Visible(pages["request, limit"]).text
    )
