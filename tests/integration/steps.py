"""Walking one introduction to a given point through the real handlers, for the tests that then
move the clock. Every step delivers its mail, as the stream would within a second."""

from __future__ import annotations

ADA, GRACE, ALAN = "ada@example.org", "grace@example.org", "alan@example.net"


def intro_id(link: str) -> str:
    return link.rsplit("/", 1)[1].split(".", 1)[0]


def unconfirmed(world, **changes) -> str:
    assert world.ask(**changes).status == 202
    world.deliver()
    return intro_id(world.last_link(ADA))


def awaiting_connector(world, **changes) -> str:
    found = unconfirmed(world, **changes)
    assert world.post_form(world.last_link(ADA), {"decision": "confirm"}).status == 200
    world.deliver()
    return found


def awaiting_target(world, **changes) -> str:
    found = awaiting_connector(world, **changes)
    assert world.post_form(world.last_link(GRACE), {"decision": "approve"}).status == 200
    world.deliver()
    return found


def introduced(world, **changes) -> str:
    found = awaiting_target(world, **changes)
    target = changes.get("target", {}).get("email", ALAN)
    assert world.post_form(world.last_link(target), {"decision": "accept"}).status == 200
    world.deliver()
    return found


def tick(world) -> None:
    world.tick()
    world.deliver()


def subjects(world, address: str) -> list[str]:
    return [m["subject"] for m in world.mail_to(address)]
