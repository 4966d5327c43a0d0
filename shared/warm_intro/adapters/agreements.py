"""Which members agreed to be asked as connectors, and the welcome mail that asks them, exactly once.

MEMBER#<email>      sk AGREED     at, via ("welcome" link, "import" by the organisation)
MEMBER#<email>      sk WELCOMED   at, status (sending, then sent with SES's id)
WELCOME#<digest>    sk WELCOME    email, expires_at: a welcome link's token, stored only as its hash
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from .dynamodb import Repository, dump, failed_condition, load


class Agreements:
    def __init__(self, repo: Repository):
        self.client, self.table = repo.client, repo.table

    def agreed(self, email: str) -> bool:
        return "Item" in self.client.get_item(
            TableName=self.table, Key=dump({"pk": f"MEMBER#{email}", "sk": "AGREED"}), ConsistentRead=True
        )

    def record(self, email: str, now: int, via: str) -> bool:
        """Idempotent; the first agreement's time and way are kept. False when it was already there."""
        return _put_new(
            self.client, self.table, {"pk": f"MEMBER#{email}", "sk": "AGREED", "at": now, "via": via}
        )

    def drop(self, email: str) -> None:
        for sk in ("AGREED", "WELCOMED"):
            self.client.delete_item(TableName=self.table, Key=dump({"pk": f"MEMBER#{email}", "sk": sk}))


class DynamoWelcomes:
    """services.unit_of_work.Welcomes over the table (the WELCOMED and WELCOME items above)."""

    def __init__(self, client: Any, table: str):
        self.client, self.table = client, table

    def claim(self, email: str, now: int) -> bool:
        """The conditional mark taken before the welcome mail is sent: only one run ever sends it."""
        return _put_new(
            self.client,
            self.table,
            {"pk": f"MEMBER#{email}", "sk": "WELCOMED", "at": now, "status": "sending"},
        )

    def sent(self, email: str, ses_id: str) -> None:
        self.client.update_item(
            TableName=self.table,
            Key=dump({"pk": f"MEMBER#{email}", "sk": "WELCOMED"}),
            UpdateExpression="SET #s = :s, ses_id = :id",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=dump({":s": "sent", ":id": ses_id}),
        )

    def status(self, email: str) -> str | None:
        found = self.client.get_item(
            TableName=self.table, Key=dump({"pk": f"MEMBER#{email}", "sk": "WELCOMED"}), ConsistentRead=True
        )
        return load(found["Item"])["status"] if "Item" in found else None

    def put_link(self, digest: str, email: str, expires_at: int) -> None:
        self.client.put_item(
            TableName=self.table,
            Item=dump({"pk": f"WELCOME#{digest}", "sk": "WELCOME", "email": email, "expires_at": expires_at}),
        )

    def link(self, digest: str) -> tuple[str, int] | None:
        found = self.client.get_item(
            TableName=self.table, Key=dump({"pk": f"WELCOME#{digest}", "sk": "WELCOME"}), ConsistentRead=True
        )
        if "Item" not in found:
            return None
        item = load(found["Item"])
        return item["email"], int(item["expires_at"])


def _put_new(client: Any, table: str, item: dict[str, Any]) -> bool:
    try:
        client.put_item(TableName=table, Item=dump(item), ConditionExpression="attribute_not_exists(pk)")
        return True
    except ClientError as error:
        if failed_condition(error):
            return False
        raise
