"""What a deploy would create, checked from template.yaml itself (nothing is deployed): least
privilege, retention, failure handling for every event consumer, a table that survives mistakes,
alarms, and settings that reach the functions."""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields

import pytest

from local import template
from warm_intro.domain.rules import Limits, Timings
from warm_intro.settings import (
    HASH_KEY_SECRET,
    LIMITS,
    PARAMETERS,
    TIMINGS,
    Settings,
    env_var,
    parameter_of,
)
from warm_intro_admin.doctor import belongs_to

T = template.load()
RESOURCES = T["Resources"]
FUNCTIONS = template.resources("AWS::Serverless::Function")
LOG_GROUPS = template.resources("AWS::Logs::LogGroup")
ALARMS = template.resources("AWS::CloudWatch::Alarm")
HTTP_FUNCTIONS = {
    n for n, f in FUNCTIONS.items() if any(e["Type"] == "HttpApi" for e in f["Properties"]["Events"].values())
}
# What people open from email: public routes. The admin API is IAM-signed and rarely called.
PUBLIC_FUNCTIONS = {
    n
    for n in HTTP_FUNCTIONS
    if all("Auth" not in e["Properties"] for e in FUNCTIONS[n]["Properties"]["Events"].values())
}
STREAM_EVENTS = ("DynamoDB", "Kinesis", "SQS")
ASYNC_EVENTS = ("SNS", "S3", "EventBridgeRule", "CloudWatchEvent")


def statements(function: dict) -> list[dict]:
    found = []
    for policy in function["Properties"].get("Policies", []):
        assert set(policy) == {"Statement"}, f"only inline statements, never broad managed policies: {policy}"
        found += policy["Statement"]
    return found


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_has_least_privilege_statements(name):
    found = statements(FUNCTIONS[name])
    assert found, f"{name} has no policy of its own"
    for statement in found:
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            assert "*" not in action, f"{name}: wildcard action {action}"
        for resource in as_list(statement["Resource"]):
            assert resource != "*" and "*" not in str(resource), f"{name}: wildcard resource {resource}"
            if any(a == "dynamodb:Query" for a in as_list(statement["Action"])) and name not in (
                "AdminFunction",
                "HomeFunction",
                "IntakeFunction",
                "NotifierFunction",
            ):
                # (the admin and home functions, and the notifier for a sign-in ask, query one person's
                # PERSON#<hash> partition of the table; the intake function, one word's FINDWORD#<word>
                # partition of the opt-in directory)
                assert str(resource).endswith(tuple(f"/index/{i}" for i in ("due", "by_month"))), (
                    f"{name}: Query only on the index it needs, never the table"
                )


def test_only_the_notifier_may_send_mail_and_only_as_the_organisation():
    senders = {
        n
        for n, f in FUNCTIONS.items()
        for s in statements(f)
        if any(a.startswith("ses:") for a in as_list(s["Action"]))
    }
    assert senders == {"NotifierFunction"}  # the sign-in link too, from the stream (services.signin)
    for sender in senders:
        (ses,) = [s for s in statements(FUNCTIONS[sender]) if as_list(s["Action"])[0].startswith("ses:")]
        assert sorted(r.rsplit(":", 1)[1].split("/")[0] for r in ses["Resource"]) == [
            "configuration-set",
            "identity",
        ]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_logs_to_its_own_group_with_retention(name):
    group = FUNCTIONS[name]["Properties"]["LoggingConfig"]["LogGroup"]
    assert group in LOG_GROUPS, f"{name} logs to {group}, which the template does not define"
    assert LOG_GROUPS[group]["Properties"]["RetentionInDays"] == "LogRetentionDays"
    users = [n for n, f in FUNCTIONS.items() if f["Properties"]["LoggingConfig"]["LogGroup"] == group]
    assert users == [name]


def test_api_access_logs_have_retention_and_never_log_paths_or_addresses():
    api = RESOURCES["HttpApi"]["Properties"]["AccessLogSettings"]
    assert (
        LOG_GROUPS[api["DestinationArn"].split(".")[0]]["Properties"]["RetentionInDays"] == "LogRetentionDays"
    )
    assert "$context.routeKey" in api["Format"]
    assert "$context.path" not in api["Format"] and "sourceIp" not in api["Format"]  # paths carry tokens


def consumers(types: tuple[str, ...]):
    return [
        (n, e["Properties"])
        for n, f in FUNCTIONS.items()
        for e in f["Properties"].get("Events", {}).values()
        if e["Type"] in types
    ]


@pytest.mark.parametrize(("name", "event"), consumers(STREAM_EVENTS))
def test_stream_consumers_retry_finitely_bisect_report_failures_and_park_the_rest(name, event):
    assert 0 <= int(event["MaximumRetryAttempts"]) <= 10
    assert event["BisectBatchOnFunctionError"] is True
    assert "ReportBatchItemFailures" in event["FunctionResponseTypes"]
    destination = event["DestinationConfig"]["OnFailure"]["Destination"].split(".")[0]
    assert RESOURCES[destination]["Type"] == "AWS::SQS::Queue"


def test_there_are_stream_consumers_to_check():
    assert [n for n, _ in consumers(STREAM_EVENTS)] == ["NotifierFunction"]


@pytest.mark.parametrize(("name", "event"), consumers(ASYNC_EVENTS))
def test_async_consumers_retry_finitely_and_park_the_rest(name, event):
    config = FUNCTIONS[name]["Properties"]["EventInvokeConfig"]
    assert 0 <= int(config["MaximumRetryAttempts"]) <= 2
    destination = config["DestinationConfig"]["OnFailure"]["Destination"].split(".")[0]
    assert RESOURCES[destination]["Type"] == "AWS::SQS::Queue"


def test_every_dead_letter_queue_and_function_has_an_alarm():
    watched = {
        a["Properties"]["Dimensions"][0]["Value"].split(".")[0]
        for a in ALARMS.values()
        if a["Properties"].get("Dimensions")
    }
    queues = set(template.resources("AWS::SQS::Queue"))
    assert queues <= watched and set(FUNCTIONS) <= watched
    metrics = {a["Properties"]["MetricName"] for a in ALARMS.values()}
    assert {"Reputation.BounceRate", "Reputation.ComplaintRate", "IteratorAge", "Errors"} <= metrics
    assert all(a["Properties"]["AlarmActions"] == ["AlarmTopic"] for a in ALARMS.values())


def test_the_table_survives_mistakes():
    (table,) = template.resources("AWS::DynamoDB::Table").values()
    assert table["DeletionPolicy"] == "Retain" and table["UpdateReplacePolicy"] == "Retain"
    props = table["Properties"]
    assert props["DeletionProtectionEnabled"] is True
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["BillingMode"] == "PAY_PER_REQUEST"


def test_indexes_cost_nothing_on_a_transition():
    """Each index holds keys only, and its keys move only when the lifecycle's deadlines do."""
    (table,) = template.resources("AWS::DynamoDB::Table").values()
    for index in table["Properties"]["GlobalSecondaryIndexes"]:
        assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}, index["IndexName"]


def test_every_setting_reaches_the_functions():
    env = T["Globals"]["Function"]["Environment"]["Variables"]
    # The hash key arrives as its secret's ARN; runtime.settings() reads the value (never in the configuration).
    assert {name.upper() for name in Settings.names()} - {"HASH_KEY"} <= set(env)
    assert env[HASH_KEY_SECRET] == "HashKey" and "HASH_KEY" not in env


def references(value, names: set[str]) -> set[str]:
    """The names (parameters or resources) a template value refers to: !Ref, !GetAtt or ${...}."""
    if isinstance(value, str):
        return {value.split(".")[0]} & names | set(re.findall(r"\$\{(\w+)", value)) & names
    if isinstance(value, list):
        return set().union(*(references(v, names) for v in value))
    if isinstance(value, dict):
        return set().union(*(references(v, names) for v in value.values()))
    return set()


# BASE_URL falls back to the custom domain's address when BaseUrl is empty: that parameter names a
# domain for API Gateway first, and is no setting of its own.
FALLBACKS = {"CustomDomain"}


def test_every_parameter_that_configures_the_app_is_exactly_one_setting_and_back():
    env = T["Globals"]["Function"]["Environment"]["Variables"]
    parameters = set(T["Parameters"])
    configuring = {p for value in env.values() for p in references(value, parameters)}
    assert set(PARAMETERS) == configuring - FALLBACKS
    assert sorted(PARAMETERS.values()) == sorted(set(PARAMETERS.values())), "one field per parameter"
    for parameter, field in PARAMETERS.items():
        assert references(env[env_var(field)], parameters) - FALLBACKS == {parameter}, field
    for field in Settings.names():
        if parameter_of(field) is None:  # the stack's own resource, or (the hash key) its secret's ARN
            variable = HASH_KEY_SECRET if field == "hash_key" else env_var(field)
            assert references(env[variable], set(RESOURCES)) and not references(env[variable], parameters)
        else:
            assert PARAMETERS[parameter_of(field)] == field


def test_the_domains_timings_and_limits_are_set_from_the_settings_alone():
    constants = {"link_days", "retry_minutes"}  # the service's own rules, not an organisation's choice
    assert sorted(TIMINGS.values()) == sorted({f.name for f in fields(Timings)} - constants)
    assert sorted(LIMITS.values()) == sorted(f.name for f in fields(Limits))
    assert set(TIMINGS) | set(LIMITS) <= set(PARAMETERS.values())
    changed = {field: Settings.default(field) + 1 for field in TIMINGS}
    changed |= {field: Settings.default(field) + 1 for field in LIMITS if field.startswith("limit")}
    settings = Settings.from_env(
        {"TABLE_NAME": "t", "SENDER": "s@example.org", "HASH_KEY": "k" * 16}
        | {env_var(f): str(v) for f, v in changed.items()}
    )
    for field, value in changed.items():
        assert (
            getattr(settings.timings if field in TIMINGS else settings.limits, (TIMINGS | LIMITS)[field])
            == value
        )


def test_every_parameter_is_used():
    text = template.TEMPLATE.read_text()
    for name in T["Parameters"]:
        uses = re.findall(rf"(!Ref {name}\b|\$\{{{name}\}})", text)
        assert uses, f"parameter {name} is never used"


def test_http_functions_never_name_the_api_in_their_environment():
    """The API's definition names its functions; naming the API back would be a circular dependency."""
    for name in HTTP_FUNCTIONS:
        assert "HttpApi" not in str(FUNCTIONS[name]["Properties"].get("Environment", {}))
    assert "HttpApi" not in str(T["Globals"]["Function"]["Environment"])


def test_snapstart_is_a_switch_on_the_public_http_functions_only():
    assert {"IntakeFunction", "LinksFunction", "HomeFunction"} == PUBLIC_FUNCTIONS
    for name, function in FUNCTIONS.items():
        props = function["Properties"]
        if name in PUBLIC_FUNCTIONS:
            assert props["SnapStart"]["ApplyOn"] == ["SnapStartOn", "PublishedVersions", "None"]
            assert props["AutoPublishAlias"]
        else:
            assert "SnapStart" not in props
    assert T["Conditions"]["SnapStartOn"] == ["SnapStart", "true"]
    assert T["Parameters"]["SnapStart"]["Default"] == "false"


def test_outputs_tell_an_admin_where_things_are():
    assert {
        "ApiUrl",
        "RequestPageUrl",
        "TableName",
        "DeadLetterQueueUrl",
        "StackRegion",
        "DashboardUrl",
    } <= set(T["Outputs"])


def overrides() -> list[tuple[str, str, str]]:
    config = tomllib.loads((template.ROOT / "samconfig.toml").read_text())
    found = []
    for env, commands in config.items():
        if isinstance(commands, dict):
            for pair in commands.get("deploy", {}).get("parameters", {}).get("parameter_overrides", []):
                key, _, value = pair.partition("=")
                found.append((env, key, value.strip('"')))
    return found


@pytest.mark.parametrize(("env", "key", "value"), overrides())
def test_samconfig_overrides_are_parameters_with_valid_values(env, key, value):
    spec = T["Parameters"][key]
    if "AllowedValues" in spec:
        assert value in [str(v) for v in spec["AllowedValues"]]
    if "AllowedPattern" in spec:
        assert re.fullmatch(spec["AllowedPattern"], value), f"[{env}] {key}={value}"
    if "MinValue" in spec:
        assert float(value) >= float(spec["MinValue"])


def test_every_organisations_sender_belongs_to_its_sender_identity():
    """SES sends as an address only under its identity, and the notifier may use only SenderIdentity."""
    config = tomllib.loads((template.ROOT / "samconfig.toml").read_text())
    for env in config:
        if isinstance(config[env], dict):
            found = {k: v for e, k, v in overrides() if e == env}
            sender = found.get("SenderAddress", T["Parameters"]["SenderAddress"]["Default"])
            identity = found.get("SenderIdentity", T["Parameters"]["SenderIdentity"]["Default"])
            assert belongs_to(sender, identity), f"[{env}] {sender} is not under {identity}"
    assert not belongs_to("intros@elsewhere.example", "example.org")
    assert not belongs_to("intros@notexample.org", "example.org")
    assert belongs_to("intros@mail.example.org", "example.org")  # a verified domain covers its subdomains


def test_an_example_organisation_has_its_own_stack():
    config = tomllib.loads((template.ROOT / "samconfig.toml").read_text())
    assert (
        config["bletchley"]["global"]["parameters"]["stack_name"]
        != config["default"]["global"]["parameters"]["stack_name"]
    )
    deploy = config["bletchley"]["deploy"]["parameters"]
    # AUTO_EXPAND: the template runs the AWS::LanguageExtensions transform before SAM's.
    assert (
        deploy["capabilities"].split() == ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]
        and deploy["resolve_s3"] is True
    )


def test_the_admin_routes_demand_signed_requests():
    assert T["Resources"]["HttpApi"]["Properties"]["Auth"] == {"EnableIamAuthorizer": True}
    for event in FUNCTIONS["AdminFunction"]["Properties"]["Events"].values():
        assert event["Properties"]["Path"].startswith("/admin/")
        assert event["Properties"]["Auth"] == {"Authorizer": "AWS_IAM"}


def test_the_dashboard_shows_this_organisation_only_and_every_function():
    body = RESOURCES["Dashboard"]["Properties"]["DashboardBody"][0]
    searches = re.findall(r"SEARCH\('([^']*)'", body)
    assert len(searches) == 2 and all('organisation=\\"${OrgName}\\"' in s for s in searches)
    errors = body[body.index('"Function errors"') :].split('{"type"')[0]
    assert set(re.findall(r"\$\{(\w+Function)\}", errors)) == set(FUNCTIONS)
