"""One mailbox, many spellings: the canonical form an address is counted, blocked and found by.

Mail still goes to the address as the person gave it; only identity uses this form."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# Providers that deliver `b.o.b@` to `bob@`; an organisation can name more (DOTLESS_DOMAINS).
DOTLESS = frozenset({"gmail.com", "googlemail.com"})
SAME_PROVIDER = {"googlemail.com": "gmail.com"}


def canonical(address: str, dotless: Iterable[str] = ()) -> str:
    """NFKC, case-folded, without a `+tag` (any domain) and, where the provider ignores them, without
    dots in the local part. A string that is not an address comes back only normalised and folded."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", address).casefold()).strip()
    local, at, domain = folded.rpartition("@")
    if not at or not local:
        return folded
    domain = domain.rstrip(".")
    local = local.split("+", 1)[0] or local
    if domain in DOTLESS or domain in {d.casefold() for d in dotless}:
        local = local.replace(".", "") or local
    return f"{local}@{SAME_PROVIDER.get(domain, domain)}"
