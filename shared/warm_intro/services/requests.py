"""Taking a new request. The answer never depends on who the connector or target is."""

from __future__ import annotations

from ..adapters.dynamodb import Repository
from ..domain.errors import RateLimited
from ..domain.lifecycle import new_request
from ..domain.model import Intro, Person, Target
from ..domain.privacy import address_hash
from ..domain.rules import HOUR
from ..domain.tokens import new_id
from ..models import IntroRequest
from ..settings import Settings
from ..telemetry import count_events
from . import privacy


def submit(repo: Repository, settings: Settings, request: IntroRequest, now: int, via: str, source: str) -> Intro:
    """`source` is the caller's IP address: a modest hourly rate per address, kept by the app."""
    if not repo.count_hit(f"ip:{address_hash(source, settings.hash_key)}", now // HOUR, settings.limit_ip_hour):
        raise RateLimited("Too many requests from your network just now. Please try again in an hour.")
    intro = new_request(
        new_id(),
        Person(request.requester.name, request.requester.email),
        request.connector_email,
        Target(request.target.name, request.target.email, request.target.about),
        request.blurb,
        now,
        via,
    )
    repo.create(intro, also=privacy.index(repo.table, intro, settings.hash_key))
    count_events(settings.org_name, intro, since=0)
    return intro
