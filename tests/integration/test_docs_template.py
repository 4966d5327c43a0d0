"""Docs that quote the template stay true to it: the settings table (every parameter, its default), the
alarms the operator's table explains, and the alarm count in the costs."""

from __future__ import annotations

import re

from local import template

DEPLOY = (template.ROOT / "docs" / "deploy.md").read_text()
OPERATIONS = (template.ROOT / "docs" / "operations.md").read_text()
PARAMETERS = template.load()["Parameters"]
ALARMS = template.resources("AWS::CloudWatch::Alarm")


def table_after(text: str, header: str) -> list[list[str]]:
    lines = text[text.index(header) :].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            return rows
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_settings_table_lists_every_parameter_with_its_default():
    rows = table_after(DEPLOY, "| Parameter | Default | What it does |")
    documented = {row[0].strip("`"): row[1] for row in rows}
    assert list(documented) == list(PARAMETERS)
    for name, spec in PARAMETERS.items():
        default = str(spec.get("Default", ""))
        assert documented[name] == (default or "(none)"), name


def test_the_alarm_table_explains_every_alarm_and_only_those():
    rows = table_after(OPERATIONS, "| Alarm | Means | Do |")
    named = {name for row in rows for name in re.findall(r"`(\w+Alarm)`", row[0])}
    assert named == set(ALARMS)


def test_the_costs_count_the_alarms_and_price_each_resource_that_costs_by_the_month():
    (count,) = re.findall(r"CloudWatch: (\d+) alarms at \$0\.10 \| \$([\d.]+)", DEPLOY)
    assert int(count[0]) == len(ALARMS) and float(count[1]) == round(0.10 * len(ALARMS), 2)
    monthly = {
        "AWS::KMS::Key": "KMS",
        "AWS::SecretsManager::Secret": "Secrets Manager",
        "AWS::CloudWatch::Dashboard": "CloudWatch dashboard",
    }
    costs = DEPLOY[DEPLOY.index("## What it costs") :]
    for kind, label in monthly.items():
        if template.resources(kind):
            assert f"| {label}" in costs, kind
