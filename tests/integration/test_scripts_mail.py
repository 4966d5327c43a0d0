"""Names and notes in any script, through the API and the notifier to the introduction: accepted as
typed, and read back intact from every message's headers and bodies (issue 19)."""

from __future__ import annotations

import html

import pytest

from tests.integration.steps import introduced
from tests.support.scripts import NAMES, SENTENCES
from warm_intro import runtime
from warm_intro.adapters.agreements import Agreements

CASES = [  # requester, connector (a member), target, blurb, note
    ("مهرداد نیک‌نام", "👩🏽‍💻 Priya", "José Pérez (Pepe)", SENTENCES[1], SENTENCES[2]),
    ("Zoë Martin (she/her)", "שרה כהן", "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Morag", SENTENCES[-1], SENTENCES[4]),
    ("लक्ष्‍मी", "สมชาย ใจดี", "김민준", SENTENCES[5], SENTENCES[0]),
]
assert all(name in NAMES for case in CASES for name in case[:3])


@pytest.mark.parametrize(("requester", "connector", "target", "blurb", "note"), CASES, ids=["fa", "he", "hi"])
def test_names_and_notes_in_any_script_reach_every_mail_intact(
    world, requester, connector, target, blurb, note
):
    runtime.repository().put_member("priya@example.org", connector)
    Agreements(runtime.repository()).record("priya@example.org", world.now, "test")  # happy to be asked
    answer = world.ask(
        requester={"name": requester, "email": "ada@example.org"},
        connector_email="priya@example.org",
        target={"name": target, "email": "alan@example.net"},
        blurb=blurb,
    )
    assert answer.status == 202, answer.text
    world.deliver()
    world.post_form(world.last_link("ada@example.org"), {"decision": "confirm"})
    world.deliver()
    assert (
        world.post_form(world.last_link("priya@example.org"), {"decision": "approve", "note": note}).status
        == 200
    )
    world.deliver()
    world.post_form(world.last_link("alan@example.net"), {"decision": "accept"})
    world.deliver()

    name_of = {"ada@example.org": requester, "priya@example.org": connector, "alan@example.net": target}
    mails = world.mail()
    assert len(mails) == 4
    confirm, ask, target_ask, introduction = mails
    assert confirm["to"] == ["ada@example.org"]  # an unproven address: no name a stranger could have typed
    for part in (confirm["subject"], confirm["text"], html.unescape(confirm["html"])):
        assert not {requester, connector, target, blurb} & {
            w for w in (requester, connector, target, blurb) if w in part
        }
    for mail in (ask, target_ask, introduction):
        for shown in mail["to"] + mail["cc"]:
            display, _, address = shown.rpartition(" <")
            assert display.strip('"') == name_of[address.rstrip(">")]
    for part in (ask["text"], html.unescape(ask["html"])):
        assert requester in part
    assert introduction["subject"] == f"Introduction: {requester} / {target}"
    assert target_ask["subject"] == f"{connector} asks: would you like to meet {requester}?"
    for part in (target_ask["text"], html.unescape(target_ask["html"])):
        assert blurb in part and note in part and connector in part and requester in part
    for part in (introduction["text"], html.unescape(introduction["html"])):
        assert blurb in part and requester in part and target in part and connector in part


def test_the_line_about_the_target_is_text_not_a_name(world):
    """It is shown only in bodies, so punctuation a name may not hold is fine there; what hides or
    reorders text is refused as everywhere."""
    about = 'runs the "Bletchley" reading group, ex-Acme; ask@ the café 📚'
    introduced(world, target={"name": "Alan Turing", "email": "alan@example.net", "about": about})
    introduction = world.mail()[-1]
    assert f"meet Alan Turing ({about})" in introduction["text"]
    assert f"({about})" in html.unescape(introduction["html"])
    for bad in ("\u202e", "\n", "\x00"):
        refused = world.ask(target={"name": "Alan Turing", "about": f"runs{bad} the group"})
        assert refused.status == 422 and "about" in refused.text
