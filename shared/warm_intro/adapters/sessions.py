"""Sign-in links and sessions in the table. Keys are hashes, never the secrets themselves.

    SIGNINASK#<random id>         sk SIGNINASK an address that asked for a link, until the notifier takes
                                               it; its `pending` attribute lets the stream's filter through
    SIGNIN#<sha256 of secret>     sk SIGNIN    whose link it is; deleted by the one POST that uses it
    SESSION#<sha256 of id>        sk SESSION   whose session, its CSRF token, when it expires
    SESSIONS#<address hash>       sk <sha256>  one per session of a person, to end them all at once

Every item carries `expires_at`, so the table's TTL clears what nobody ended; reads check it too
(TTL deletes late)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..domain.sessions import Session, SigninAsk
from .dynamodb import dump, failed_condition, load, write_batches


class DynamoSessions:
    """services.unit_of_work.Sessions over the table."""

    def __init__(self, client: Any, table: str):
        self.client, self.table = client, table

    # sign-in links -------------------------------------------------------------------------------

    def ask_signin(self, ask: SigninAsk) -> None:
        item = {
            **_ask_key(ask.id),
            "email": ask.email,
            "base": ask.base,
            "expires_at": ask.expires_at,
            "pending": {"signin"},
        }
        if ask.language:
            item["language"] = ask.language
        self.client.put_item(TableName=self.table, Item=dump(item))

    def take_ask(self, ask_id: str) -> bool:
        try:
            self.client.delete_item(
                TableName=self.table, Key=dump(_ask_key(ask_id)), ConditionExpression="attribute_exists(pk)"
            )
        except ClientError as error:
            if failed_condition(error):
                return False
            raise
        return True

    def put_signin(self, digest: str, email: str, expires_at: int) -> None:
        item = {"pk": f"SIGNIN#{digest}", "sk": "SIGNIN", "email": email, "expires_at": expires_at}
        self.client.put_item(TableName=self.table, Item=dump(item))

    def take_signin(self, digest: str, now: int) -> str | None:
        """The address a sign-in link was for, spending it; None when unknown, used or expired."""
        try:
            answer = self.client.delete_item(
                TableName=self.table,
                Key=dump({"pk": f"SIGNIN#{digest}", "sk": "SIGNIN"}),
                ConditionExpression="attribute_exists(pk) AND expires_at > :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if failed_condition(error):
                return None
            raise
        email: str = load(answer["Attributes"])["email"]
        return email

    def signin_exists(self, digest: str, now: int) -> bool:
        found = self.client.get_item(
            TableName=self.table, Key=dump({"pk": f"SIGNIN#{digest}", "sk": "SIGNIN"}), ConsistentRead=True
        )
        return "Item" in found and int(load(found["Item"])["expires_at"]) > now

    # sessions ------------------------------------------------------------------------------------

    def put_session(self, digest: str, session: Session) -> None:
        item = {
            "pk": f"SESSION#{digest}",
            "sk": "SESSION",
            "email": session.email,
            "h": session.address_hash,
            "csrf": session.csrf,
            "expires_at": session.expires_at,
        }
        mine = {"pk": f"SESSIONS#{session.address_hash}", "sk": digest, "expires_at": session.expires_at}
        self.client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": self.table, "Item": dump(item)}},
                {"Put": {"TableName": self.table, "Item": dump(mine)}},
            ]
        )

    def session(self, digest: str) -> Session | None:
        found = self.client.get_item(
            TableName=self.table, Key=dump({"pk": f"SESSION#{digest}", "sk": "SESSION"}), ConsistentRead=True
        )
        if "Item" not in found:
            return None
        item = load(found["Item"])
        return Session(item["email"], item["h"], item["csrf"], int(item["expires_at"]))

    def end(self, digest: str, address_hash: str) -> None:
        self._delete(
            {"pk": f"SESSION#{digest}", "sk": "SESSION"}, {"pk": f"SESSIONS#{address_hash}", "sk": digest}
        )

    def end_all(self, address_hashes: tuple[str, ...]) -> int:
        """Ends every session of a person (any of the hashes their address may be kept under)."""
        ended = 0
        for address_hash in address_hashes:
            kwargs: dict[str, Any] = {
                "TableName": self.table,
                "KeyConditionExpression": "pk = :p",
                "ExpressionAttributeValues": {":p": {"S": f"SESSIONS#{address_hash}"}},
                "ConsistentRead": True,
            }
            while True:
                page = self.client.query(**kwargs)
                for item in map(load, page["Items"]):
                    self._delete(
                        {"pk": f"SESSION#{item['sk']}", "sk": "SESSION"},
                        {"pk": item["pk"], "sk": item["sk"]},
                    )
                    ended += 1
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return ended

    def _delete(self, *keys: dict[str, Any]) -> None:
        write_batches(self.client, self.table, [{"DeleteRequest": {"Key": dump(k)}} for k in keys])


def _ask_key(ask_id: str) -> dict[str, str]:
    return {"pk": f"SIGNINASK#{ask_id}", "sk": "SIGNINASK"}


def signin_ask_from_image(image: dict[str, Any] | None) -> SigninAsk | None:
    """The sign-in ask a stream record's new image holds; None for any other item."""
    if not image or not str(image.get("pk", "")).startswith("SIGNINASK#"):
        return None
    return SigninAsk(
        str(image["pk"]).removeprefix("SIGNINASK#"),
        str(image["email"]),
        str(image["base"]),
        int(image["expires_at"]),
        str(image["language"]) if image.get("language") else None,
    )
