"""Reading SES bounce and complaint notices (both the identity-notification and the
configuration-set event shapes) into (address, reason) pairs worth suppressing."""

from __future__ import annotations

from ..adapters.dynamodb import Repository
from ..domain.privacy import address_hash
from ..settings import Settings


def addresses_to_suppress(notice: dict) -> list[tuple[str, str]]:
    kind = notice.get("notificationType") or notice.get("eventType")
    if kind == "Bounce":
        bounce = notice.get("bounce", {})
        if bounce.get("bounceType") != "Permanent":  # a full mailbox today may work tomorrow
            return []
        return [(r["emailAddress"], "bounced") for r in bounce.get("bouncedRecipients", [])]
    if kind == "Complaint":
        return [(r["emailAddress"], "complained") for r in notice.get("complaint", {}).get("complainedRecipients", [])]
    return []


def suppress_all(repo: Repository, settings: Settings, found: list[tuple[str, str]], now: int) -> None:
    for email, reason in found:
        repo.suppress(address_hash(_bare(email), settings.hash_key), reason, now)


def _bare(address: str) -> str:
    """SES may report 'Name <a@b>'; the hash is over the bare address."""
    from email.utils import parseaddr

    return parseaddr(address)[1] or address
