"""Reading IAM, key and topic policies: does an Allow statement grant this action (to this service, on this
resource)?"""

from __future__ import annotations

from collections.abc import Iterator


def inline_policies(iam, role: str) -> Iterator[dict | str]:
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        yield iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]


def allows(policy: dict, service: str | None, action: str, resource: str | None = None) -> bool:
    """Whether an Allow statement grants `action` (to `service`, when given; on `resource`, when given)."""
    for statement in as_list(policy.get("Statement", [])):
        if statement.get("Effect") != "Allow":
            continue
        if service is not None and service not in as_list(statement.get("Principal", {}).get("Service", [])):
            continue
        if not any(
            a in (action, "*", f"{action.split(':')[0]}:*") for a in as_list(statement.get("Action", []))
        ):
            continue
        if resource is None or any(r in (resource, "*") for r in as_list(statement.get("Resource", []))):
            return True
    return False


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]
