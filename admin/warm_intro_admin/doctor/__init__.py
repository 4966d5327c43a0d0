"""`warm-intro doctor`: what an organisation's admin runs after every deploy, and when something seems
wrong. One line per check, green or red with what to do next; the exit status is 1 when any line is red,
so an organisation's own pipeline can run it. AWS is reached through the target's clients; DNS and HTTP
through injectable callables (tests fake them; `--local` has no DNS to ask)."""

from .checks import Doctor
from .lookups import DnsUnreachable, dns_resolver, http_fetch
from .report import GREEN, MARK, RED, SKIP, WARN, Line
from .send_test import SIMULATOR, send_test
from .stack import (
    ALIASED,
    FUNCTIONS,
    SCHEDULE,
    Deployment,
    belongs_to,
    deployment,
    local_deployment,
    sender_domain,
)

__all__ = [
    "ALIASED",
    "FUNCTIONS",
    "GREEN",
    "MARK",
    "RED",
    "SCHEDULE",
    "SIMULATOR",
    "SKIP",
    "WARN",
    "Deployment",
    "DnsUnreachable",
    "Doctor",
    "Line",
    "belongs_to",
    "deployment",
    "dns_resolver",
    "http_fetch",
    "local_deployment",
    "send_test",
    "sender_domain",
]
