"""Be findable: opt-in, members only, off by default. Signed-in members search the listings on the
request form and pick a connector by an opaque id; the member's address shows nowhere until they
pass the request on. A search is one Query page (at most four when a filter leaves too few), never a
Scan, at 10,000 listings."""

from __future__ import annotations

import json
import re

from warm_intro import runtime
from warm_intro.adapters.directory import Directory
from warm_intro.adapters.dynamodb import dump
from warm_intro.domain.note_coach import fingerprint
from warm_intro.services import directory as service

from .home_steps import Browser
from .steps import ADA, ALAN, GRACE

KATHERINE = "katherine@example.org"
PICK = re.compile(r'name="connector_id" id="pick-\d+" value="([0-9a-f]{32})"')
NOTE = "I'm Ada, I write about computing engines. I'd love 20 minutes to ask Alan about his reading group."


def listed(world, email: str, line: str) -> Browser:
    who = Browser(world)
    who.sign_in(email)
    answer = who.post("/me/settings", {"csrf": who.csrf("/me/settings"), "action": "findable", "line": line})
    assert answer.status == 200 and "You're listed" in answer.text
    return who


def picks(page: str) -> list[str]:
    return PICK.findall(page)


def request(csrf: str, entry: str) -> dict[str, str]:
    return {
        "requester_name": "Ada Lovelace",
        "requester_email": ADA,
        "connector_id": entry,
        "connector_email": "",
        "target_name": "Alan Turing",
        "target_email": ALAN,
        "blurb": NOTE,
        "coached": fingerprint(NOTE),
        "csrf": csrf,
    }


def test_nobody_is_listed_until_they_opt_in_and_stopping_unlists_them(world):
    ada = Browser(world)
    ada.sign_in(ADA)
    assert picks(ada.get("/?find=compilers").text) == []
    assert "Nobody listed matches" in ada.get("/?find=compilers").text
    grace = listed(world, GRACE, "Compilers, the US Navy, Philadelphia")
    for words in ("compilers", "NAVY philadelphia", "Navy, compilers!"):
        page = ada.get(f"/?find={words}").text
        assert len(picks(page)) == 1 and "Grace Hopper" in page and GRACE not in page
    assert picks(ada.get("/?find=cobol").text) == []  # every word must match
    grace.post("/me/settings", {"csrf": grace.csrf("/me/settings"), "action": "unfindable"})
    assert picks(ada.get("/?find=compilers").text) == []


def test_only_signed_in_members_search_and_only_members_are_listed(world):
    listed(world, GRACE, "compilers")
    assert "Find a member" not in Browser(world).get("/?find=compilers").text  # signed out
    alan = Browser(world)  # known (asked once), signed in, not a member
    from .steps import awaiting_target

    awaiting_target(world)
    alan.sign_in(ALAN)
    page = alan.get("/?find=compilers").text
    assert "Find a member" not in page and picks(page) == []
    settings = alan.get("/me/settings").text
    assert "Be findable" not in settings
    refused = alan.post(
        "/me/settings", {"csrf": alan.csrf("/me/settings"), "action": "findable", "line": "x y"}
    )
    assert refused.status == 422 and Directory(runtime.repository()).search("y", ()) == []


def test_a_request_sent_by_picking_reaches_the_member_and_hides_their_address_until_they_pass_it_on(world):
    listed(world, KATHERINE, "NASA, orbital mechanics, Hampton Virginia")
    ada = Browser(world)
    ada.sign_in(ADA)
    (entry,) = picks(ada.get("/?find=orbital").text)
    sent = ada.post("/", request(ada.csrf("/"), entry))
    assert sent.status == 200 and "Your request is on its way" in sent.text and KATHERINE not in sent.text
    world.deliver()
    (ask,) = [m for m in world.mail_to(KATHERINE) if "/me/signin/" not in m["text"]]
    assert "Ada Lovelace" in ask["text"]
    for mail in world.mail_to(ADA):
        assert KATHERINE not in mail["text"]
    requests = ada.get("/me").text
    assert "through Katherine Johnson" in requests and KATHERINE not in requests
    held = json.loads(ada.get("/me/data").text)
    assert KATHERINE not in json.dumps(held)
    world.post_form(world.last_link(KATHERINE), {"decision": "approve"})
    world.deliver()
    assert KATHERINE in json.dumps(json.loads(ada.get("/me/data").text))  # passed on: now theirs to know


def test_a_forged_stale_or_unsigned_pick_sends_nothing(world):
    listed(world, GRACE, "compilers")
    ada = Browser(world)
    ada.sign_in(ADA)
    (entry,) = picks(ada.get("/?find=compilers").text)
    for form in (
        request(ada.csrf("/"), "0" * 32),  # nobody's
        request(ada.csrf("/"), "not-an-id"),
        request("x" * 43, entry),  # not from her page
        {**request(ada.csrf("/"), entry), "requester_email": "someone@example.net"},  # not as herself
    ):
        answer = ada.post("/", form)
        assert answer.status == 422 and "pick one" in answer.text and GRACE not in answer.text
    unsigned = Browser(world).post("/", request("", entry))
    assert unsigned.status == 422 and GRACE not in unsigned.text
    world.deliver()
    assert [m for m in world.mail_to(GRACE) if "/me/signin/" not in m["text"]] == []


def test_erasure_and_member_removal_unlist(world):
    grace = listed(world, GRACE, "compilers")
    listed(world, KATHERINE, "compilers")
    assert len(service.search(runtime.repository(), _session(world, ADA), "compilers")) == 2
    grace.post("/me/erase", {"csrf": grace.csrf("/me/erase"), "confirm": "erase"})
    from warm_intro.services import membership

    settings = world.settings
    membership.remove(
        runtime.repository(), settings.hash_key, KATHERINE, world.now, policy=settings.request_policy
    )
    assert Directory(runtime.repository()).search("compilers", ()) == []


def _session(world, email):
    from warm_intro.services import signin

    browser = Browser(world)
    browser.sign_in(email)
    session_id = browser.cookie.split("=", 1)[1]
    return signin.current(runtime.repository(), session_id, world.now)


def test_a_search_over_10000_listings_reads_pages_of_one_word_and_never_scans(world):
    repo = runtime.repository()
    words = " london "
    items = []
    for n in range(10_000):
        entry = f"{n:032x}"
        extra = "navy" if n % 2500 == 0 else f"field{n % 50}"
        padded = f"{words}{extra} "
        common = {"name": f"Member {n}", "line": f"London, {extra}", "words": padded}
        items += [{"pk": f"FINDWORD#{w}", "sk": entry, **common} for w in padded.split()]
    client = repo.client
    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": dump(i)}} for i in items[start : start + 25]]
        client.batch_write_item(RequestItems={repo.table: batch})
    ada = _session(world, ADA)
    calls: list[str] = []

    def record(model, **_):
        calls.append(model.name)

    client.meta.events.register("before-parameter-build.dynamodb.*", record)
    try:
        navy = service.search(repo, ada, "Navy London")
        london = service.search(repo, ada, "london")
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb.*", record)
    assert sorted(listing.name for listing in navy) == [f"Member {n}" for n in (0, 2500, 5000, 7500)]
    assert len(london) == 20  # one page of a partition holding all 10,000; the first 20 shown
    # "london" has a page of results at once; "navy" filters the 10,000 (about 1.4 MB) down to
    # four, so that search reads the partition's second page too, and no more.
    assert calls.count("Query") == 3 and "Scan" not in calls


class Paged:
    """A table answering each Query with one page of 1,000 listings, as DynamoDB does at its 1 MB
    limit (moto returns every item at once, so it can't show this)."""

    def __init__(self, listings: int, matching: set[int]):
        self.listings, self.matching, self.queries, self.read = listings, matching, 0, 0

    def query(self, **kwargs):
        self.queries += 1
        start = int(kwargs.get("ExclusiveStartKey", {"sk": {"S": "0"}})["sk"]["S"])
        end = min(start + kwargs.get("Limit", 1000), self.listings)
        self.read += end - start
        kept = [n for n in range(start, end) if n in self.matching]
        page = {"Items": [dump({"sk": f"{n:032x}", "name": f"Member {n}", "line": "London"}) for n in kept]}
        if end < self.listings:
            page["LastEvaluatedKey"] = {"sk": {"S": str(end)}}
        return page


class Repo:
    table = "intros"

    def __init__(self, client: Paged):
        self.client = client


def test_a_one_word_search_reads_only_the_listings_it_shows():
    everyone = Paged(10_000, set(range(10_000)))
    assert len(Directory(Repo(everyone)).search("london", ())) == 20
    assert (everyone.queries, everyone.read) == (1, 20)  # DynamoDB bills what it reads: 20, not a page


def test_a_filtered_search_reads_on_past_a_page_without_matches_and_stops_at_a_bound():
    def search(table: Paged):
        return Directory(Repo(table)).search("london", ("navy",))

    sparse = Paged(10_000, {2_500, 3_700})  # the first two pages hold no match
    assert [x.name for x in search(sparse)] == ["Member 2500", "Member 3700"] and sparse.queries == 4
    dense = Paged(10_000, set(range(0, 10_000, 10)))  # a page holds 100 matches: one page is enough
    assert len(search(dense)) == 20 and dense.queries == 1
    far = Paged(10_000, {9_999})  # beyond the bound: never read
    assert search(far) == [] and far.queries == 4
