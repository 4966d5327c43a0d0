"""Transforms template.yaml as CloudFormation would at deploy time, with the SAM CLI's own pinned code:
its AWS::LanguageExtensions implementation first (parameters resolved), then its SAM translator.

Run by the SAM CLI's interpreter (see cloudformation.py), never imported by the tests: the translator pins
pydantic, which the app's environment must not share. Reads {"template": path, "cases": [...]} on stdin,
each case {"stack": name, "region": r, "account": id, "parameters": {...}, "artifacts": {logical id: uri}},
and writes the list of transformed templates as JSON."""

import copy
import json
import os
import sys

from samcli.lib.cfn_language_extensions import PseudoParameterValues, process_template
from samcli.yamlhelper import yaml_parse
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    """Offline: SAM asks IAM for managed policy ARNs only to expand names it cannot build itself."""

    def load(self):
        return {}


def package(template: dict, artifacts: dict) -> dict:
    """What `sam package` does: every local CodeUri/ContentUri becomes the S3 object of its content."""
    for name, uri in artifacts.items():
        props = template["Resources"][name]["Properties"]
        props["ContentUri" if "ContentUri" in props else "CodeUri"] = uri
    return template


def one(source: dict, case: dict) -> dict:
    os.environ["AWS_DEFAULT_REGION"] = case["region"]  # the translator reads the region from a boto3 session
    template = package(copy.deepcopy(source), case["artifacts"])
    pseudo = PseudoParameterValues(
        region=case["region"],
        account_id=case["account"],
        stack_name=case["stack"],
        stack_id=f"arn:aws:cloudformation:{case['region']}:{case['account']}:stack/"
        f"{case['stack']}/00000000-0000-0000-0000-000000000000",
    )
    expanded = process_template(template, case["parameters"], pseudo)
    expanded["Transform"] = [t for t in expanded.get("Transform", []) if t != "AWS::LanguageExtensions"]
    pseudo_values = {
        "AWS::Region": case["region"],
        "AWS::AccountId": case["account"],
        "AWS::StackName": case["stack"],
    }
    return transform(expanded, {**case["parameters"], **pseudo_values}, NoManagedPolicies())


def main() -> None:
    request = json.load(sys.stdin)
    with open(request["template"], encoding="utf-8") as handle:
        source = yaml_parse(handle.read())
    json.dump([one(source, case) for case in request["cases"]], sys.stdout)


if __name__ == "__main__":
    main()
