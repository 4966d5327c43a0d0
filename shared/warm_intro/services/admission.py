"""The organisation's policy at the two moments someone new would be mailed: when the requester
confirms (the connector is about to be asked) and when the connector approves (the target is).

Nothing here answers the API caller: outcomes only show up later, to a confirmed requester, in
words that never say who or what stood in the way."""

from __future__ import annotations

from ..adapters.dynamodb import Repository
from ..domain.lifecycle import Admission
from ..domain.model import Intro
from ..domain.privacy import address_hash
from ..settings import Settings


def requester_allowed(settings: Settings, repo: Repository, email: str) -> bool:
    if settings.request_policy == "anyone":
        return True
    if repo.member_name(email) is not None:
        return True
    domain = email.rpartition("@")[2]
    return settings.request_policy == "members_and_domains" and domain in settings.allowed_domains


def on_confirm(settings: Settings, repo: Repository, intro: Intro, now: int) -> tuple[Admission, list[dict]]:
    connector_name = repo.member_name(intro.connector.email)
    if connector_name is None or not requester_allowed(settings, repo, intro.requester.email):
        return Admission(allowed=False), []
    if repo.suppressed([address_hash(intro.connector.email, settings.hash_key)]):
        return Admission(closes=True), []
    return Admission(connector_name=connector_name), []


def on_approve(
    settings: Settings, repo: Repository, intro: Intro, target_email: str, now: int
) -> tuple[Admission, list[dict]]:
    if repo.suppressed([address_hash(target_email, settings.hash_key)]):
        return Admission(closes=True), []
    return Admission(), []
