"""The template as CloudFormation deploys it: transformed by the SAM CLI's own pinned code for the stack
names, parameters and artifacts of real deploys, then checked for what no local run can show (versions
behind aliases, names shared between organisations, keys AWS services can use, secrets in configuration)."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from local import template

from .cloudformation import ACCOUNT, Case, artifacts, transform

PARAMETERS = template.load()["Parameters"]
# A valid value other than the default, for every parameter that is neither a number nor a choice.
OTHER_STRINGS = {
    "OrgName": "Bletchley Circle",
    "AccentColor": "#2b4c7e",
    "LogoUrl": "https://example.org/logo.png",
    "SenderAddress": "intros@bletchley.example.org",
    "SenderIdentity": "bletchley.example.org",
    "ReplyTo": "hello@example.org",
    "ContactEmail": "privacy@example.org",
    "Language": "de",
    "BaseUrl": "https://intros.example.org",
    "CustomDomain": "intros.example.org",
    "CertificateArn": f"arn:aws:acm:eu-west-2:{ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000",
    "AllowedDomains": "example.org",
    "AlarmEmail": "ops@example.org",
    "DotlessDomains": "example.ac.uk",
    "TopicKeyArn": f"arn:aws:kms:eu-west-2:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
}

# What the template's Rules demand alongside a parameter.
COMPANIONS = {"CustomDomain": {"CertificateArn": OTHER_STRINGS["CertificateArn"]}}


def other_value(name: str) -> str:
    spec = PARAMETERS[name]
    if "AllowedValues" in spec:
        return next(str(v) for v in spec["AllowedValues"] if str(v) != str(spec["Default"]))
    if spec["Type"] == "Number":
        return str(int(spec["Default"]) + 1)
    value = OTHER_STRINGS[name]
    assert re.fullmatch(spec.get("AllowedPattern", ".*"), value), name
    return value


def samconfig_case(env: str, region: str) -> Case:
    config = tomllib.loads((template.ROOT / "samconfig.toml").read_text())
    overrides = config[env].get("deploy", {}).get("parameters", {}).get("parameter_overrides", [])
    parameters = dict(pair.partition("=")[::2] for pair in overrides)
    return Case(
        stack=config[env]["global"]["parameters"]["stack_name"],
        region=region,
        parameters={k: v.strip('"') for k, v in parameters.items()},
    )


@pytest.fixture(scope="module")
def variants() -> dict:
    """The default deploy, one deploy per changed parameter, one with new layer content, two organisations."""
    cases = {
        "default": Case(),
        "layer": Case(artifacts={**artifacts(), "SharedLayer": "s3://artifacts/new-layer"}),
    }
    cases |= {
        name: Case(parameters={name: other_value(name), **COMPANIONS.get(name, {})}) for name in PARAMETERS
    }
    cases |= {
        "org:default": samconfig_case("default", "eu-west-2"),
        "org:bletchley": samconfig_case("bletchley", "eu-west-2"),
    }
    return dict(zip(cases, transform(*cases.values()), strict=True))


def of_type(t: dict, kind: str) -> dict[str, dict]:
    return {n: r for n, r in t["Resources"].items() if r["Type"] == kind}


def version_of(t: dict, function: str) -> str:
    (alias,) = [
        r
        for r in of_type(t, "AWS::Lambda::Alias").values()
        if r["Properties"]["FunctionName"] == {"Ref": function}
    ]
    return alias["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]


def called_by_the_api(t: dict) -> dict[str, str | None]:
    """Function -> the alias the API invokes (None: the function itself, i.e. $LATEST)."""
    found = {}
    for path in of_type(t, "AWS::ApiGatewayV2::Api")["HttpApi"]["Properties"]["Body"]["paths"].values():
        for operation in path.values():
            uri = operation["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
            target = re.search(r"functions/\$\{(\w+?)(?:\.Arn)?\}/invocations", uri).group(1)
            alias = (
                t["Resources"][target]["Properties"]["FunctionName"]["Ref"]
                if target.endswith("Aliaslive")
                else None
            )
            found[alias or target] = target if alias else None
    return found


def test_the_api_calls_the_aliased_functions_through_their_alias(variants):
    calls = called_by_the_api(variants["default"])
    assert {f for f, alias in calls.items() if alias} == {"IntakeFunction", "LinksFunction", "HomeFunction"}


def test_new_layer_content_publishes_a_new_version_of_every_function_the_api_calls_through_an_alias(variants):
    before, after = variants["default"], variants["layer"]
    for function, alias in called_by_the_api(before).items():
        if alias:
            assert version_of(after, function) != version_of(before, function), function


@pytest.mark.parametrize("parameter", list(PARAMETERS))
def test_a_changed_parameter_reaches_every_function_the_api_calls(variants, parameter):
    """A parameter that changes a function's configuration must publish a new version behind its alias,
    or the API keeps running the old settings while the other functions run the new ones."""
    before, after = variants["default"], variants[parameter]
    for function, alias in called_by_the_api(before).items():
        changed = before["Resources"][function]["Properties"] != after["Resources"][function]["Properties"]
        if alias and names_directly(function, parameter):
            assert changed, f"{parameter} is in {function}'s configuration but its value never reaches it"
        if alias and changed:
            assert version_of(after, function) != version_of(before, function), f"{parameter}: {function}"


def names_directly(function: str, parameter: str) -> bool:
    raw = template.load()
    # What the function itself sets wins over Globals (e.g. its own MemorySize).
    # Policies live on the function's role, which takes effect without a new version.
    own = {k: v for k, v in raw["Resources"][function]["Properties"].items() if k != "Policies"}
    text = json.dumps({**raw["Globals"]["Function"], **own})
    return re.search(rf"(?<![\w.]){parameter}(?![\w.])", text) is not None


def test_the_settings_people_see_do_change_the_pages_functions(variants):
    """Guards the test above against passing vacuously."""
    for parameter in ("OrgName", "BaseUrl", "SnapStart", "LimitIpHour", "AccentColor"):
        assert (
            variants[parameter]["Resources"]["LinksFunction"]
            != variants["default"]["Resources"]["LinksFunction"]
        )


def physical_names(t: dict) -> set[tuple[str, str]]:
    """Every name a resource is created under in the account and region, as far as the template fixes it."""
    scoped = {
        "AWS::Lambda::Alias",
        "AWS::ApiGatewayV2::Stage",
        "AWS::ApiGatewayV2::ApiMapping",
        "AWS::SES::ConfigurationSetEventDestination",
        "AWS::Lambda::Permission",
    }
    found = set()
    for resource in t["Resources"].values():
        if resource["Type"] in scoped:
            continue
        for key, value in resource.get("Properties", {}).items():
            if key.endswith("Name") and key != "MetricName" and isinstance(value, str):
                found.add((resource["Type"], value))
    return found


def test_two_organisations_in_one_account_and_region_share_no_physical_name(variants):
    first, second = variants["org:default"], variants["org:bletchley"]
    assert (
        first["Resources"]["Dashboard"]["Properties"]["DashboardName"]
        != second["Resources"]["Dashboard"]["Properties"]["DashboardName"]
    )
    assert physical_names(first) & physical_names(second) == set()


def test_every_schedule_gets_a_generated_name(variants):
    for name, schedule in of_type(variants["default"], "AWS::Scheduler::Schedule").items():
        assert "Name" not in schedule["Properties"], name


def publishers(t: dict) -> dict[str, set[str]]:
    """Topic -> the AWS services that publish to it (alarm actions, topic policies)."""
    found: dict[str, set[str]] = {}
    for alarm in of_type(t, "AWS::CloudWatch::Alarm").values():
        for action in alarm["Properties"].get("AlarmActions", []):
            found.setdefault(action["Ref"], set()).add("cloudwatch.amazonaws.com")
    for policy in of_type(t, "AWS::SNS::TopicPolicy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            for topic in policy["Properties"]["Topics"]:
                found.setdefault(topic["Ref"], set()).update(
                    as_list(statement["Principal"].get("Service", []))
                )
    return found


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def resolved(t: dict, node, parameters: dict):
    """`node` with Ref to parameters and Fn::If on the template's conditions decided for these parameters
    (what CloudFormation does at deploy); Ref AWS::NoValue becomes None."""

    def value(n):
        if isinstance(n, list):
            return [value(x) for x in n]
        if not isinstance(n, dict) or len(n) != 1:
            return n
        ((op, arg),) = n.items()
        if op == "Ref" and arg == "AWS::NoValue":
            return None
        if op == "Ref" and arg in t["Parameters"]:
            return parameters.get(arg, t["Parameters"][arg].get("Default"))
        if op == "Fn::Equals":
            return str(value(arg[0])) == str(value(arg[1]))
        if op == "Fn::Not":
            return not value(arg[0])
        if op == "Fn::Or":
            return any(value(a) for a in arg)
        if op == "Fn::If":
            return value(arg[1] if value(t["Conditions"][arg[0]]) else arg[2])
        return n

    return value(node)


def created(t: dict, name: str, parameters: dict) -> bool:
    condition = t["Resources"][name].get("Condition")
    return condition is None or resolved(t, t["Conditions"][condition], parameters)


def test_bounces_and_complaints_reach_the_feedback_function_over_eventbridge_not_sns(variants):
    """Addresses travel from SES to the function over the default event bus: no topic carries them."""
    t = variants["default"]
    (destination,) = of_type(t, "AWS::SES::ConfigurationSetEventDestination").values()
    sent = destination["Properties"]["EventDestination"]
    assert set(sent["MatchingEventTypes"]) == {"bounce", "complaint"} and sent["Enabled"] is True
    assert set(sent) & {"SnsDestination", "KinesisFirehoseDestination"} == set()
    assert (
        sent["EventBridgeDestination"]["EventBusArn"]
        == f"arn:aws:events:eu-west-2:{ACCOUNT}:event-bus/default"
    )
    (rule,) = of_type(t, "AWS::Events::Rule").values()
    pattern = rule["Properties"]["EventPattern"]
    assert (pattern["source"], set(pattern["detail-type"])) == (
        ["aws.ses"],
        {"Email Bounced", "Email Complaint Received"},
    )
    # only this stack's mail: another stack's configuration set in the account is not ours to suppress
    assert pattern["detail"]["mail"]["tags"]["ses:configuration-set"] == [{"Ref": "ConfigurationSet"}]
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["FeedbackFunction", "Arn"]}
    # What EventBridge can't hand over lands in the same queue as what the function failed on, and
    # only this rule may write to it.
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["FeedbackDeadLetterQueue", "Arn"]}}
    ((policy),) = of_type(t, "AWS::SQS::QueuePolicy").values()
    (allowed,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert allowed["Principal"] == {"Service": "events.amazonaws.com"}
    assert allowed["Action"] == "sqs:SendMessage"
    assert allowed["Condition"] == {
        "ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["FeedbackFunctionNotices", "Arn"]}}
    }
    (config,) = [
        c for c in of_type(t, "AWS::Lambda::EventInvokeConfig").values() if "FeedbackFunction" in str(c)
    ]
    on_failure = config["Properties"]["DestinationConfig"]["OnFailure"]["Destination"]
    assert on_failure == {"Fn::GetAtt": ["FeedbackDeadLetterQueue", "Arn"]}
    assert publishers(t) == {"AlarmTopic": {"cloudwatch.amazonaws.com"}}
    assert set(of_type(t, "AWS::SNS::Topic")) == {"AlarmTopic"}


@pytest.fixture(scope="module")
def topic_key_cases(variants) -> dict[str, dict]:
    """TopicKeyArn's kinds of value -> the template CloudFormation deploys."""
    (unencrypted,) = transform(Case(parameters={"TopicKeyArn": "none"}))
    return {
        "": variants["default"],
        OTHER_STRINGS["TopicKeyArn"]: variants["TopicKeyArn"],
        "none": unencrypted,
    }


@pytest.mark.parametrize(
    ("value", "topic_key"),
    [("", None), (OTHER_STRINGS["TopicKeyArn"], OTHER_STRINGS["TopicKeyArn"]), ("none", None)],
)
def test_the_alarm_topic_is_encrypted_only_with_a_key_the_organisation_names(
    topic_key_cases, value, topic_key
):
    """It carries alarm names and states, nothing personal: no key of the stack's own ($1 a month), and
    never the AWS-managed alias/aws/sns, which CloudWatch cannot publish through."""
    parameters = {"TopicKeyArn": value}
    t = topic_key_cases[value]
    assert PARAMETERS["TopicKeyArn"]["Default"] == ""
    assert of_type(t, "AWS::KMS::Key") == {}
    assert (
        resolved(t, t["Resources"]["AlarmTopic"]["Properties"].get("KmsMasterKeyId"), parameters) == topic_key
    )
    assert re.fullmatch(PARAMETERS["TopicKeyArn"]["AllowedPattern"], value)


def test_no_function_configuration_holds_a_secret(variants):
    t = variants["default"]
    secrets = set(of_type(t, "AWS::SecretsManager::Secret"))
    for name, function in of_type(t, "AWS::Lambda::Function").items():
        text = json.dumps(function["Properties"].get("Environment", {}))
        assert "{{resolve:" not in text, name
        for value in function["Properties"].get("Environment", {}).get("Variables", {}).values():
            if isinstance(value, dict) and value.get("Ref") in secrets:
                continue  # a secret's ARN names it; only GetSecretValue reveals it
            assert not any(s in json.dumps(value) for s in secrets), (
                f"{name} derives a variable from a secret"
            )


def test_every_function_may_read_the_hash_key_it_is_pointed_at(variants):
    t = variants["default"]
    for name, function in of_type(t, "AWS::Lambda::Function").items():
        assert function["Properties"]["Environment"]["Variables"]["HASH_KEY_SECRET"] == {"Ref": "HashKey"}
        role = t["Resources"][function["Properties"]["Role"]["Fn::GetAtt"][0]]
        grants = [
            s
            for p in role["Properties"]["Policies"]
            for s in p["PolicyDocument"]["Statement"]
            if "secretsmanager:GetSecretValue" in as_list(s["Action"])
        ]
        assert [s["Resource"] for s in grants] == [{"Ref": "HashKey"}], name


def test_secrets_that_give_retained_data_its_meaning_are_retained(variants):
    t = variants["default"]
    assert any(r.get("DeletionPolicy") == "Retain" for r in of_type(t, "AWS::DynamoDB::Table").values())
    for name, secret in of_type(t, "AWS::SecretsManager::Secret").items():
        assert secret.get("DeletionPolicy") == "Retain" and secret.get("UpdateReplacePolicy") == "Retain", (
            name
        )


def test_the_doctor_looks_for_resources_the_stack_has(variants):
    """`warm-intro doctor` finds resources by their logical ids in the deployed stack."""
    from warm_intro_admin import doctor

    resources = variants["default"]["Resources"]
    wanted = {
        *doctor.FUNCTIONS,
        doctor.SCHEDULE,
        "Table",
        "HashKey",
        "AlarmTopic",
        "FeedbackDestination",
        "FeedbackFunctionNotices",
        "ConfigurationSet",
    }
    assert wanted <= set(resources)
    assert set(doctor.ALIASED) == {f for f, alias in called_by_the_api(variants["default"]).items() if alias}
    assert set(doctor.FUNCTIONS) == set(of_type(variants["default"], "AWS::Lambda::Function"))
    assert "RequestPageUrl" in variants["default"]["Outputs"]
