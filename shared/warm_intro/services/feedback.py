"""Reading SES bounce and complaint notices (both the identity-notification and the
configuration-set event shapes) into (address, reason) pairs worth suppressing."""

from __future__ import annotations

from email.utils import parseaddr

from ..domain.hashing import address_hash
from ..settings import Settings
from .unit_of_work import Store


def addresses_to_suppress(notice: object) -> list[tuple[str, str]]:
    if not isinstance(notice, dict):
        return []
    kind = notice.get("notificationType") or notice.get("eventType")
    if kind == "Bounce":
        bounce = notice.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":  # a full mailbox today may work tomorrow
            return []
        return _addresses(bounce.get("bouncedRecipients"), "bounced")
    if kind == "Complaint":
        return _addresses((notice.get("complaint") or {}).get("complainedRecipients"), "complained")
    return []


def suppress_all(store: Store, settings: Settings, found: list[tuple[str, str]], now: int) -> None:
    people = store.begin(now).people
    for email, reason in found:
        people.suppress(address_hash(email, settings.hash_key), reason, now)


def _addresses(recipients: object, reason: str) -> list[tuple[str, str]]:
    """SES may report 'Name <a@b>'; the hash is over the bare address."""
    found = []
    for r in recipients if isinstance(recipients, list) else []:
        address = parseaddr(r.get("emailAddress", "") if isinstance(r, dict) else "")[1]
        if "@" in address:
            found.append((address, reason))
    return found
