"""The opt-in directory in the table (domain.directory). Only members who chose to be findable have
items here; nothing is written for anyone else.

    FINDABLE#<entry id>   sk ENTRY        the member's address, name, line and its words
    FINDWORD#<word>       sk <entry id>   one per word of the line: name, line, " w1 w2 … "

A search is one Query of its longest word's partition. With one word, it reads only the RESULTS it
shows. With more, the other words are checked in the same request (a FilterExpression on the padded
words), which DynamoDB bills for every listing it looked at: a page is at most 1 MB (several thousand
listings), and a search reads on only while it has fewer than RESULTS, up to PAGES pages. No Scan,
whatever the organisation's size."""

from __future__ import annotations

from typing import Any

from ..domain.directory import RESULTS
from ..services.unit_of_work import Listed, Listing
from .dynamodb import Repository, dump, load

PAGES = 4  # a search reads at most 4 MB (about 20,000 listings of one word), whatever the words


class Directory:
    def __init__(self, repo: Repository):
        self.client, self.table = repo.client, repo.table

    def entry(self, entry: str) -> dict[str, Any] | None:
        found = self.client.get_item(TableName=self.table, Key=dump(_entry_key(entry)), ConsistentRead=True)
        return load(found["Item"]) if "Item" in found else None

    def listed(self, entry: str) -> Listed | None:
        found = self.entry(entry)
        return Listed(Listing(entry, found["name"], found["line"]), found["email"]) if found else None

    def put(self, entry: str, email: str, name: str, line: str, words: tuple[str, ...]) -> None:
        """Lists (or relists) a member: the entry and its word items in one transaction, the words the
        previous line had and this one hasn't removed in it too."""
        before = self.entry(entry)
        old = set((before or {}).get("words", "").split()) - set(words)
        items: list[dict[str, Any]] = [
            *(
                {"Put": {"TableName": self.table, "Item": dump(i)}}
                for i in listing(entry, email, name, line, words)
            ),
            *({"Delete": {"TableName": self.table, "Key": dump(_word_key(w, entry))}} for w in sorted(old)),
        ]
        self.client.transact_write_items(TransactItems=items)

    def remove(self, entry: str) -> bool:
        """Unlists a member (stopping, erasure, removal); False when they were not listed."""
        before = self.entry(entry)
        if before is None:
            return False
        items = [
            {"Delete": {"TableName": self.table, "Key": dump(_entry_key(entry))}},
            *(
                {"Delete": {"TableName": self.table, "Key": dump(_word_key(w, entry))}}
                for w in before.get("words", "").split()
            ),
        ]
        self.client.transact_write_items(TransactItems=items)
        return True

    def search(self, word: str, also: tuple[str, ...]) -> list[Listing]:
        """Listings having `word` and every one of `also`: RESULTS of them at most, in one Query, more
        only while the filter on `also` has left fewer (a page reads at most 1 MB: about 5,000 listings)."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": f"FINDWORD#{word}"}},
            "ProjectionExpression": "sk, #n, #l",
            "ExpressionAttributeNames": {"#n": "name", "#l": "line"},
        }
        if not also:
            kwargs["Limit"] = RESULTS  # every item of the partition matches: read only what is shown
        else:
            names = {f":w{i}": {"S": f" {w} "} for i, w in enumerate(also)}
            kwargs["FilterExpression"] = " AND ".join(f"contains(#w, {k})" for k in names)
            kwargs["ExpressionAttributeValues"].update(names)
            kwargs["ExpressionAttributeNames"]["#w"] = "words"
        items: list[dict[str, Any]] = []
        for _ in range(PAGES):
            page = self.client.query(**kwargs)
            items += page["Items"]
            if len(items) >= RESULTS or "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        found = [load(i) for i in items[:RESULTS]]
        return [Listing(i["sk"], i["name"], i["line"]) for i in found]


def listing(entry: str, email: str, name: str, line: str, words: tuple[str, ...]) -> list[dict[str, str]]:
    """The items one listing is stored as: its entry, then one per word."""
    padded = f" {' '.join(words)} "
    return [
        {**_entry_key(entry), "email": email, "name": name, "line": line, "words": padded},
        *({**_word_key(w, entry), "name": name, "line": line, "words": padded} for w in words),
    ]


def _entry_key(entry: str) -> dict[str, str]:
    return {"pk": f"FINDABLE#{entry}", "sk": "ENTRY"}


def _word_key(word: str, entry: str) -> dict[str, str]:
    return {"pk": f"FINDWORD#{word}", "sk": entry}
