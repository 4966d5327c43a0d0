"""What the doctor asks outside AWS: DNS records and the request page. Injectable, so tests fake them."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable

Resolver = Callable[[str, str], list[str]]  # (name, record type) -> the records' text; [] when none
Fetch = Callable[[str], tuple[int, str]]  # url -> (status, body)


class DnsUnreachable(Exception):
    """No DNS server answered: the DNS checks are skipped, not failed."""


def dns_resolver(name: str, rdtype: str) -> list[str]:
    import dns.exception
    import dns.resolver

    try:
        answer = dns.resolver.resolve(name, rdtype, lifetime=5)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.resolver.NoNameservers, dns.exception.Timeout, dns.resolver.NoResolverConfiguration) as error:
        raise DnsUnreachable(type(error).__name__) from error
    return [b"".join(r.strings).decode() if rdtype == "TXT" else r.to_text() for r in answer]


def http_fetch(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"User-Agent": "warm-intro-doctor"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read(200_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
