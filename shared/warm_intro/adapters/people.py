"""Members, the suppression list and the per-person index in the table (services.unit_of_work.People).

    MEMBER#<address>    sk MEMBER              a member of the organisation, as the organisation typed them
    SUPPRESS#<hash>     sk SUPPRESS            an opted-out, bounced or complained address, by keyed hash
    PERSON#<hash>       sk INTRO#<id>#<role>   which introductions a person appears in (export, erasure)

Index entries are written by the unit of work that stores the address, just before its conditional
write (adapters.dynamodb.Writes.put_first), so every stored address is findable and finding someone's
introductions is one Query on the table's own key. An entry whose introduction's write then failed
names an introduction that does not exist: export, erasure, the home page and removal skip it, and
erasure deletes it with the rest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from ..domain.hashing import hashes
from ..domain.model import Role
from ..domain.preferences import Preferences
from ..services.unit_of_work import Entry, Listed, Listing
from . import preferences
from .agreements import Agreements
from .aliases import Aliases
from .directory import Directory
from .dynamodb import Repository, Table, Writes, dump, failed_condition, load, member_key, write_batches


def _entry_key(person: str, intro_id: str, role: Role) -> dict[str, str]:
    return {"pk": f"PERSON#{person}", "sk": f"INTRO#{intro_id}#{role.value}"}


def _entry_item(entry: Entry) -> dict[str, Any]:
    return {
        **_entry_key(entry.person, entry.intro, entry.role),
        "intro": entry.intro,
        "role": entry.role.value,
    }


class DynamoPeople:
    def __init__(self, table: Table, writes: Writes):
        self.table, self.writes = table, writes
        self.members_read: dict[str, dict[str, str]] = {}

    # members -------------------------------------------------------------------------------------

    def member_name(self, email: str) -> str | None:
        return self._member(email).get("name")

    def member_language(self, email: str) -> str | None:
        """The language a member reads, when the members CSV said (members import)."""
        return self._member(email).get("language")

    def _member(self, email: str) -> dict[str, str]:
        """A member's name and language, read once per unit of work (a decision asks several rules
        about the same connector); {} for someone who isn't one."""
        if email not in self.members_read:
            found = self.table.client.get_item(
                TableName=self.table.name,
                Key=dump(member_key(email)),
                ProjectionExpression="#n, #l",
                ExpressionAttributeNames={"#n": "name", "#l": "language"},
            )
            self.members_read[email] = {k: v["S"] for k, v in found.get("Item", {}).items()}
        return self.members_read[email]

    def add_member(self, email: str, name: str, language: str | None = None) -> bool:
        """Adds or renames a member; False when they were already there as given. `language`: the one
        they read (domain.languages), "" to forget it, None to leave it as it is."""
        self.members_read.pop(email, None)
        names, values = {"#n": "name"}, {":e": email, ":n": name, ":k": "member"}
        update, changed = "SET email = :e, #n = :n, kind = :k", "attribute_not_exists(pk) OR #n <> :n"
        if language is not None:
            names["#l"] = "language"
        if language:
            values[":l"] = language
            update += ", #l = :l"
            changed += " OR attribute_not_exists(#l) OR #l <> :l"
        elif language == "":
            update += " REMOVE #l"
            changed += " OR attribute_exists(#l)"
        try:
            self.table.client.update_item(
                TableName=self.table.name,
                Key=dump(member_key(email)),
                UpdateExpression=update,
                ConditionExpression=changed,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=dump(values),
            )
            return True
        except ClientError as error:
            if failed_condition(error):
                return False
            raise

    def primary_of(self, email: str, hash_key: str) -> str | None:
        return Aliases(self._repository(), hash_key).primary_of(email)

    def agreed(self, email: str) -> bool:
        return Agreements(self._repository()).agreed(email)

    def agree(self, email: str, now: int, via: str) -> bool:
        return Agreements(self._repository()).record(email, now, via)

    def alias_hashes(self, email: str, hash_key: str) -> list[str]:
        return [
            h for alias in Aliases(self._repository(), hash_key).of(email) for h in hashes(alias, hash_key)
        ]

    def forget_member_details(self, email: str, hash_key: str) -> None:
        Aliases(self._repository(), hash_key).drop(email)
        Agreements(self._repository()).drop(email)

    # the opt-in directory (adapters.directory) -----------------------------------------------------

    def listed(self, entry: str) -> Listed | None:
        return Directory(self._repository()).listed(entry)

    def list_findable(self, listed: Listed, words: tuple[str, ...]) -> None:
        item = listed.listing
        Directory(self._repository()).put(item.entry, listed.email, item.name, item.line, words)

    def unlist(self, entry: str) -> bool:
        return Directory(self._repository()).remove(entry)

    def find(self, word: str, also: tuple[str, ...]) -> list[Listing]:
        return Directory(self._repository()).search(word, also)

    def _repository(self) -> Repository:
        return Repository(self.table.client, self.table.name, self.table.timings)

    def remove_member(self, email: str) -> bool:
        self.members_read.pop(email, None)
        answer = self.table.client.delete_item(
            TableName=self.table.name, Key=dump(member_key(email)), ReturnValues="ALL_OLD"
        )
        return "Attributes" in answer

    def members(self) -> list[tuple[str, str]]:
        """A filtered Scan: admin only, never on a request path."""
        items = self.table.scan_all(
            FilterExpression="sk = :m",
            ProjectionExpression="email, #n",
            ExpressionAttributeNames={"#n": "name"},
            ExpressionAttributeValues={":m": {"S": "MEMBER"}},
        )
        return sorted((item["email"]["S"], item["name"]["S"]) for item in items)

    # the suppression list ------------------------------------------------------------------------

    def suppressed(self, hashes: Iterable[str], reasons: Iterable[str] | None = None) -> set[str]:
        stored_as: dict[str, str] = {}
        for h in hashes:
            stored_as.setdefault(str(h), str(h))
            if earlier := getattr(h, "earlier", None):  # an AddressHash's hash from before
                stored_as.setdefault(earlier, str(h))
        keys = [dump({"pk": f"SUPPRESS#{h}", "sk": "SUPPRESS"}) for h in stored_as]
        if not keys:
            return set()
        wanted = None if reasons is None else set(reasons)
        found = self.table.client.batch_get_item(
            RequestItems={self.table.name: {"Keys": keys, "ProjectionExpression": "pk, reasons"}}
        )
        return {
            stored_as[item["pk"]["S"].removeprefix("SUPPRESS#")]
            for item in found["Responses"].get(self.table.name, [])
            if wanted is None or wanted & set(item.get("reasons", {}).get("SS", []))
        }

    def suppression_reasons(self, address_hash: str) -> set[str]:
        found = self.table.client.get_item(
            TableName=self.table.name,
            Key=dump({"pk": f"SUPPRESS#{address_hash}", "sk": "SUPPRESS"}),
            ConsistentRead=True,
        )
        return set(load(found["Item"]).get("reasons", set())) if "Item" in found else set()

    def suppress(self, address_hash: str, reason: str, now: int) -> None:
        """Idempotent: the first reason and time are kept, later notices only add their reason."""
        self.table.client.update_item(
            TableName=self.table.name,
            Key=dump({"pk": f"SUPPRESS#{address_hash}", "sk": "SUPPRESS"}),
            UpdateExpression="SET first_at = if_not_exists(first_at, :now) ADD reasons :r",
            ExpressionAttributeValues={":now": {"N": str(now)}, ":r": {"SS": [reason]}},
        )

    # a person's own settings at /me (adapters.preferences) ---------------------------------------

    def preferences(self, address_hash: str) -> Preferences:
        return preferences.read(self.table.client, self.table.name, address_hash)

    def set_preferences(self, address_hash: str, prefs: Preferences) -> None:
        preferences.write(self.table.client, self.table.name, address_hash, prefs)

    def opt_back_in(self, address_hash: str) -> None:
        preferences.opt_back_in(self.table.client, self.table.name, address_hash)

    # the per-person index ------------------------------------------------------------------------

    def entries(self, address_hash: str) -> list[Entry]:
        items = self.table.query_all(
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": f"PERSON#{address_hash}"}},
            ConsistentRead=True,
        )
        return [Entry(address_hash, i["intro"], Role(i["role"])) for i in map(load, items)]

    def index(self, entry: Entry) -> None:
        self.writes.put_first(_entry_item(entry))  # in place before the write storing the address

    def unindex(self, entry: Entry) -> None:
        self.writes.delete(_entry_key(entry.person, entry.intro, entry.role))

    def move(self, entry: Entry, to: str) -> bool:
        """One transaction: the delete is conditional on the old entry being there."""
        old = _entry_key(entry.person, entry.intro, entry.role)
        moved = Entry(to, entry.intro, entry.role)
        try:
            self.table.client.transact_write_items(
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self.table.name,
                            "Key": dump(old),
                            "ConditionExpression": "attribute_exists(pk)",
                        }
                    },
                    {"Put": {"TableName": self.table.name, "Item": dump(_entry_item(moved))}},
                ]
            )
            return True
        except ClientError as error:
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if reasons[:1] == ["ConditionalCheckFailed"]:
                return False
            raise

    def drop(self, entries: Iterable[Entry]) -> None:
        keys = [_entry_key(e.person, e.intro, e.role) for e in entries]
        write_batches(self.table.client, self.table.name, [{"DeleteRequest": {"Key": dump(k)}} for k in keys])
