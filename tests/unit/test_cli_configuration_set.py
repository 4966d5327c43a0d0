"""Mail the admin CLI sends (the welcome) goes through the stack's SES configuration set, so its bounces and
complaints reach the suppression list like the notifier's."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
from botocore.stub import Stubber

from warm_intro_admin.target import Target

STACK = "warm-intro-bletchley"
CONFIG_SET = "warm-intro-bletchley-ConfigurationSet-1A2B3C"


def test_a_deployed_stack_gives_its_configuration_set():
    cloudformation = boto3.client("cloudformation", region_name="eu-west-2")
    target = Target(session=None, table="intros", label=STACK, stack=STACK)
    target.client = lambda service: {"cloudformation": cloudformation}[service]
    detail = {
        "LogicalResourceId": "ConfigurationSet",
        "PhysicalResourceId": CONFIG_SET,
        "ResourceType": "AWS::SES::ConfigurationSet",
        "LastUpdatedTimestamp": datetime(2026, 11, 1, tzinfo=UTC),
        "ResourceStatus": "CREATE_COMPLETE",
    }
    with Stubber(cloudformation) as stub:
        stub.add_response(
            "describe_stack_resource",
            {"StackResourceDetail": detail},
            {"StackName": STACK, "LogicalResourceId": "ConfigurationSet"},
        )
        assert target.configuration_set() == CONFIG_SET
        stub.assert_no_pending_responses()


def test_without_a_stack_there_is_none():
    assert Target(session=None, table="intros", label="local").configuration_set() is None
