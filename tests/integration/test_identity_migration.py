"""`warm-intro identities migrate`: what earlier versions keyed on the address as typed is re-keyed to
the canonical mailbox, so other spellings find it; a second run changes nothing."""

from __future__ import annotations

from warm_intro import runtime
from warm_intro.adapters.ledger import Ledgers
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Role
from warm_intro.services import personal_data

from .steps import unconfirmed
from .test_cli import TABLE, run

TYPED = "Bob.Smith+news@Gmail.com"
OTHER = "bobsmith@googlemail.com"


def test_migration_lets_every_spelling_find_what_was_stored_before_and_is_idempotent(world, capsys):
    intro = unconfirmed(world, target={"name": "Bob Smith", "email": TYPED})
    repo, key = runtime.repository(), world.settings.hash_key
    hashed = address_hash(TYPED, key)
    # What the previous version wrote: the index entry and an opt-out under the typed address's hash.
    assert Ledgers(repo).move_entry(intro, Role.TARGET, hashed, hashed.earlier)
    repo.suppress(hashed.earlier, "opted_out", world.now)
    assert personal_data.export(key, repo, OTHER)["introductions"] == [] and not repo.suppressed(
        [address_hash(OTHER, key)]
    )

    code, out, _ = run(capsys, *TABLE, "identities", "migrate")
    assert code == 0 and "1 index entries moved, 1 suppressions copied" in out
    (found,) = personal_data.export(key, repo, OTHER)["introductions"]
    assert found["id"] == intro and found["roles"] == ["target"]
    assert repo.suppressed([address_hash(OTHER, key)]) and personal_data.export(key, repo, OTHER)["opted_out"]

    code, out, _ = run(capsys, *TABLE, "identities", "migrate")
    assert code == 0 and "0 index entries moved, 0 suppressions copied" in out and "0 closed" in out


def test_migration_schedules_old_closed_introductions_for_anonymisation(world, capsys):
    intro = unconfirmed(world)
    world.advance(days=2)
    world.tick()  # lapsed; then the content is forgotten and, as earlier versions left it, nothing is due
    world.advance(days=31)
    world.tick()
    client, table = runtime.client("dynamodb"), world.settings.table_name
    client.update_item(
        TableName=table,
        Key={"pk": {"S": f"INTRO#{intro}"}, "sk": {"S": "INTRO"}},
        UpdateExpression="REMOVE due_pk, due_at",
    )
    code, out, _ = run(capsys, *TABLE, "identities", "migrate")
    assert code == 0 and "1 closed introductions scheduled" in out
    world.advance(days=365)
    world.tick()
    assert world.intro(intro).requester.email == "erased@erased.invalid"
    assert "0 closed" in run(capsys, *TABLE, "identities", "migrate")[1]
