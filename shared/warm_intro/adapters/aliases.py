"""A member's other addresses, so a requester who knows them by one still reaches them.

ALIAS#<hash>      sk ALIAS     primary: the member's address (found under any spelling of the alias)
MEMBER#<email>    sk ALIASES   aliases: the addresses as the organisation listed them (for `members list`)
"""

from __future__ import annotations

from ..domain.errors import Conflict
from ..domain.hashing import address_hash, hashes
from .dynamodb import Repository, dump, load


class Aliases:
    def __init__(self, repo: Repository, key: str):
        self.client, self.table, self.key = repo.client, repo.table, key

    def primary_of(self, email: str) -> str | None:
        """The member an address is an alias of, under any spelling of it; None when it is none's."""
        keys = [dump({"pk": f"ALIAS#{h}", "sk": "ALIAS"}) for h in hashes(email, self.key)]
        found = self.client.batch_get_item(RequestItems={self.table: {"Keys": keys, "ConsistentRead": True}})
        primaries = sorted(load(i)["primary"] for i in found["Responses"].get(self.table, []))
        return primaries[0] if primaries else None

    def of(self, primary: str) -> list[str]:
        found = self.client.get_item(
            TableName=self.table, Key=dump({"pk": f"MEMBER#{primary}", "sk": "ALIASES"}), ConsistentRead=True
        )
        return list(load(found["Item"]).get("aliases", [])) if "Item" in found else []

    def set(self, primary: str, aliases: list[str]) -> bool:
        """Makes `aliases` exactly the member's other addresses; False when nothing changed. Raises
        Conflict when one is already another member's alias."""
        before = self.of(primary)
        if before == aliases:
            return False
        for alias in aliases:
            try:
                self.client.put_item(
                    TableName=self.table,
                    Item=dump(
                        {"pk": f"ALIAS#{address_hash(alias, self.key)}", "sk": "ALIAS", "primary": primary}
                    ),
                    ConditionExpression="attribute_not_exists(pk) OR #p = :p",
                    ExpressionAttributeNames={"#p": "primary"},
                    ExpressionAttributeValues={":p": {"S": primary}},
                )
            except self.client.exceptions.ConditionalCheckFailedException as error:
                raise Conflict(f"{alias} is already another member's alias") from error
        kept = {str(address_hash(a, self.key)) for a in aliases}
        for alias in before:
            if str(address_hash(alias, self.key)) not in kept:
                self._delete(f"ALIAS#{address_hash(alias, self.key)}", "ALIAS")
        if aliases:
            self.client.put_item(
                TableName=self.table,
                Item=dump({"pk": f"MEMBER#{primary}", "sk": "ALIASES", "aliases": aliases}),
            )
        else:
            self._delete(f"MEMBER#{primary}", "ALIASES")
        return True

    def drop(self, primary: str) -> None:
        self.set(primary, [])

    def _delete(self, pk: str, sk: str) -> None:
        self.client.delete_item(TableName=self.table, Key=dump({"pk": pk, "sk": sk}))
