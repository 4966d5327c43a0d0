"""The organisation's stack as the checks see it: its resources by logical id, its parameters and outputs."""

from __future__ import annotations

from dataclasses import dataclass, field

ALIASED = ("IntakeFunction", "LinksFunction", "HomeFunction")
FUNCTIONS = (
    "IntakeFunction",
    "LinksFunction",
    "NotifierFunction",
    "SchedulerFunction",
    "AdminFunction",
    "FeedbackFunction",
    "HomeFunction",
)
# SAM names the EventBridgeRule event's rule after function and event
FEEDBACK_RULE = "FeedbackFunctionNotices"
SCHEDULE = (
    "SchedulerFunctionEvery5Minutes"  # SAM names the ScheduleV2 event's schedule after function and event
)


@dataclass
class Deployment:
    """One organisation's stack as the checks see it: logical id -> physical id, parameters, outputs."""

    name: str
    resources: dict[str, str]
    parameters: dict[str, str]
    outputs: dict[str, str] = field(default_factory=dict)
    local: bool = False

    def has(self, *logical: str) -> bool:
        return all(name in self.resources for name in logical)


def deployment(cloudformation, stack: str) -> Deployment:
    resources: dict[str, str] = {}
    for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack):
        resources |= {
            r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in page["StackResourceSummaries"]
            if r.get("PhysicalResourceId")
        }
    (found,) = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    return Deployment(
        stack,
        resources,
        {p["ParameterKey"]: p.get("ParameterValue", "") for p in found.get("Parameters", [])},
        {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])},
    )


def local_deployment(table: str, environ: dict[str, str]) -> Deployment:
    """The local server's embedded AWS: its table and verified sender; the rest exists only when deployed."""
    sender = environ.get("SENDER", "intros@example.org")
    base = environ.get("BASE_URL") or f"http://127.0.0.1:{environ.get('PORT', '3000')}"
    return Deployment(
        "local server",
        {"Table": table},
        {"SenderAddress": sender, "SenderIdentity": sender_domain(sender)},
        {"RequestPageUrl": f"{base}/"},
        local=True,
    )


def sender_domain(identity: str) -> str:
    return identity.rpartition("@")[2].lower()


def belongs_to(address: str, identity: str) -> bool:
    """SES sends as an address only under its own identity or its domain's (subdomains inherit it)."""
    address, identity = address.lower(), identity.lower()
    domain = address.rpartition("@")[2]
    return address == identity or (
        "@" not in identity and (domain == identity or domain.endswith(f".{identity}"))
    )
