"""Reads template.yaml: the HTTP routes each function serves and the table's definition."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _Loader(yaml.SafeLoader):
    """Accepts CloudFormation's short tags (!Ref, !Sub, ...) as plain values."""


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_Loader.add_multi_constructor("!", _any_tag)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as in the template: /link/{token}
    function: str  # logical id
    code_dir: Path

    @property
    def is_default(self) -> bool:
        """The catch-all route: API Gateway sends it whatever no other route matches."""
        return self.path == "$default"

    @property
    def route_key(self) -> str:
        return "$default" if self.is_default else f"{self.method} {self.path}"

    @property
    def pattern(self) -> re.Pattern:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")


@cache
def load() -> dict:
    return yaml.load(TEMPLATE.read_text(), Loader=_Loader)


def resources(kind: str) -> dict[str, dict]:
    return {name: r for name, r in load()["Resources"].items() if r["Type"] == kind}


def functions() -> dict[str, Path]:
    return {
        name: ROOT / r["Properties"]["CodeUri"] for name, r in resources("AWS::Serverless::Function").items()
    }


def routes() -> list[Route]:
    found = []
    for name, fn in resources("AWS::Serverless::Function").items():
        for event in fn["Properties"].get("Events", {}).values():
            if event["Type"] == "HttpApi":
                props = event["Properties"]
                found.append(
                    Route(props["Method"].upper(), props["Path"], name, ROOT / fn["Properties"]["CodeUri"])
                )
    return found


def table_definition() -> dict:
    """The table's create_table arguments, from the template's own key schema and indexes."""
    (props,) = [r["Properties"] for r in resources("AWS::DynamoDB::Table").values()]
    definition = {
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, **props["StreamSpecification"]},
    }
    if props.get("GlobalSecondaryIndexes"):
        definition["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    return definition


def function_environment() -> dict[str, str]:
    """Names of the variables every function gets (values come from the local settings)."""
    return dict(load()["Globals"]["Function"]["Environment"]["Variables"])
