"""Opt-outs for the administrator, by keyed hash only, never an address:

SUPPRESS#<hash>  sk SUPPRESS      opt-outs, bounces, complaints (adapters.dynamodb)
AUDIT#restore    sk <at>#<hash>   an opt-out lifted at the person's own request: by whom, when, why
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .dynamodb import Repository, dump, load


class OptOuts:
    def __init__(self, repo: Repository):
        self.client, self.table = repo.client, repo.table

    def suppression_counts(self) -> Counter[tuple[str, int]]:
        """(reason, first_at) of every suppression, counted; a Scan, admin only. Never an address."""
        counts: Counter[tuple[str, int]] = Counter()
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "FilterExpression": "sk = :s",
            "ProjectionExpression": "reasons, first_at",
            "ExpressionAttributeValues": {":s": {"S": "SUPPRESS"}},
        }
        while True:
            page = self.client.scan(**kwargs)
            for item in map(load, page["Items"]):
                for reason in item.get("reasons", ()):
                    counts[(reason, int(item.get("first_at", 0)))] += 1
            if "LastEvaluatedKey" not in page:
                return counts
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def lift_opt_out(self, hashes: list[str], now: int, by: str, why: str) -> tuple[int, set[str]]:
        """Removes the reason "opted_out" under each hash (the item goes when nothing else is left)
        and writes the audit entry. Returns how many opt-outs were lifted, and the other reasons
        (bounces, complaints) that still hold."""
        lifted, others = 0, set()
        for h in dict.fromkeys(hashes):
            key = dump({"pk": f"SUPPRESS#{h}", "sk": "SUPPRESS"})
            found = self.client.get_item(TableName=self.table, Key=key, ConsistentRead=True)
            reasons = set(load(found["Item"]).get("reasons", ())) if "Item" in found else set()
            if "opted_out" not in reasons:
                others |= reasons
                continue
            left = reasons - {"opted_out"}
            if left:
                self.client.update_item(
                    TableName=self.table,
                    Key=key,
                    UpdateExpression="DELETE reasons :r",
                    ExpressionAttributeValues={":r": {"SS": ["opted_out"]}},
                )
            else:
                self.client.delete_item(TableName=self.table, Key=key)
            self.client.put_item(
                TableName=self.table,
                Item=dump({"pk": "AUDIT#restore", "sk": f"{now}#{h}", "at": now, "by": by, "why": why}),
            )
            lifted, others = lifted + 1, others | left
        return lifted, others

    def restorations(self) -> list[dict[str, Any]]:
        found = self.client.query(
            TableName=self.table,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "AUDIT#restore"}},
            ConsistentRead=True,
        )
        return [load(i) for i in found["Items"]]
