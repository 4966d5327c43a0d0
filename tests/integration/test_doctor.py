"""`warm-intro doctor` against a stack built in moto (table, secret, key, topics, functions, versions,
alias, layer, schedule, metrics) with SES v2's account and configuration-set calls, which moto lacks,
stubbed at the boto3 boundary; DNS through a fake resolver; the request page through the real handlers."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import boto3
from botocore.stub import Stubber

from local.lambdas import invoke
from warm_intro import runtime
from warm_intro_admin import cli, doctor, target
from warm_intro_admin.doctor import GREEN, RED, SKIP, WARN, Deployment, DnsUnreachable, Doctor, send_test

ACCOUNT, REGION = "123456789012", "us-east-1"
DEFAULT_BUS = f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/default"
IDENTITY, SENDER = "example.org", "intros@example.org"
TOKENS = ["tok1", "tok2", "tok3"]
DNS = {
    ("example.org", "TXT"): ["v=spf1 include:amazonses.com ~all"],
    ("_dmarc.example.org", "TXT"): ["v=DMARC1; p=quarantine"],
    **{(f"{t}._domainkey.example.org", "CNAME"): [f"{t}.dkim.amazonses.com."] for t in TOKENS},
}
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def code(text: str = "1") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", f"def handler(event, context):\n    return {text}\n")
    return buffer.getvalue()


def publishers(topic: str, service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": "sns:Publish",
                    "Resource": topic,
                }
            ],
        }
    )


def build_stack(
    world, *, topic_key: str | None = None, schedule_state: str = "ENABLED", rule_state: str = "ENABLED"
) -> Deployment:
    """What a deploy of template.yaml creates, as far as the doctor looks at it."""
    table = world.settings.table_name
    dynamodb = boto3.client("dynamodb")
    dynamodb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    dynamodb.update_table(TableName=table, DeletionProtectionEnabled=True)
    secret = boto3.client("secretsmanager").create_secret(Name="HashKey-x", SecretString="k" * 48)["ARN"]
    kms = boto3.client("kms")
    key = kms.create_key(
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    },
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": ["cloudwatch.amazonaws.com", "ses.amazonaws.com"]},
                        "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
                        "Resource": "*",
                    },
                ],
            }
        )
    )["KeyMetadata"]["KeyId"]
    sns = boto3.client("sns")
    resources = {"Table": table, "HashKey": secret, "ConfigurationSet": "warm-intro-cs"}
    for name, service in (
        ("AlarmTopic", "cloudwatch.amazonaws.com"),
    ):  # on the organisation's key (TopicKeyArn)
        arn = sns.create_topic(Name=f"warm-intro-{name}", Attributes={"KmsMasterKeyId": topic_key or key})[
            "TopicArn"
        ]
        sns.set_topic_attributes(
            TopicArn=arn, AttributeName="Policy", AttributeValue=publishers(arn, service)
        )
        resources[name] = arn
    sns.subscribe(TopicArn=resources["AlarmTopic"], Protocol="email", Endpoint="ops@example.org")
    lam, iam = boto3.client("lambda"), boto3.client("iam")
    layer = lam.publish_layer_version(LayerName="warm-intro-shared", Content={"ZipFile": code()})[
        "LayerVersionArn"
    ]
    for name in doctor.FUNCTIONS:
        role = iam.create_role(RoleName=f"{name}Role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        iam.put_role_policy(
            RoleName=f"{name}Role",
            PolicyName="read-key",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": secret}
                    ],
                }
            ),
        )
        lam.create_function(
            FunctionName=f"warm-intro-{name}",
            Runtime="python3.13",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": code()},
            Layers=[layer],
            Environment={"Variables": {"HASH_KEY_SECRET": secret}},
        )
        resources[name] = f"warm-intro-{name}"
        if name in doctor.ALIASED:
            version = lam.publish_version(FunctionName=resources[name])["Version"]
            lam.create_alias(FunctionName=resources[name], Name="live", FunctionVersion=version)
    events = boto3.client("events")
    rule = "warm-intro-FeedbackFunctionNotices-9XY8"
    events.put_rule(Name=rule, EventPattern=json.dumps({"source": ["aws.ses"]}), State=rule_state)
    events.put_targets(
        Rule=rule,
        Targets=[
            {"Id": "1", "Arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{resources['FeedbackFunction']}"}
        ],
    )
    resources["FeedbackFunctionNotices"] = rule
    schedule = "warm-intro-SchedulerFunctionEvery5Minutes-1AB2"
    boto3.client("scheduler").create_schedule(
        Name=schedule,
        ScheduleExpression="rate(5 minutes)",
        FlexibleTimeWindow={"Mode": "OFF"},
        State=schedule_state,
        Target={
            "Arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{resources['SchedulerFunction']}",
            "RoleArn": role,
        },
    )
    resources["SchedulerFunctionEvery5Minutes"] = schedule
    boto3.client("cloudwatch").put_metric_data(
        Namespace="AWS/Lambda",
        MetricData=[
            {
                "MetricName": "Invocations",
                "Value": 1,
                "Timestamp": datetime.now(UTC) - timedelta(minutes=2),
                "Dimensions": [{"Name": "FunctionName", "Value": resources["SchedulerFunction"]}],
            }
        ],
    )
    return Deployment(
        "warm-intro",
        resources,
        {"SenderAddress": SENDER, "SenderIdentity": IDENTITY},
        {"RequestPageUrl": "https://intros.example.org/"},
    )


class Ses:
    """SES v2 stubbed at the boto3 boundary: moto has no account, event destination or DKIM status."""

    def __init__(self, *, verified=True, dkim="SUCCESS", sandbox=False, bus: str | None = DEFAULT_BUS):
        self.client = boto3.client("sesv2", region_name=REGION)
        self.stub = Stubber(self.client)
        self.stub.add_response(
            "get_email_identity",
            {
                "IdentityType": "DOMAIN",
                "VerifiedForSendingStatus": verified,
                "DkimAttributes": {"SigningEnabled": dkim == "SUCCESS", "Status": dkim, "Tokens": TOKENS},
            },
            {"EmailIdentity": IDENTITY},
        )
        self.stub.add_response(
            "get_account",
            {
                "SendingEnabled": True,
                "ProductionAccessEnabled": not sandbox,
                "DedicatedIpAutoWarmupEnabled": False,
                "EnforcementStatus": "HEALTHY",
            },
        )
        if sandbox:
            self.stub.add_response(
                "list_email_identities",
                {
                    "EmailIdentities": [
                        {
                            "IdentityType": "DOMAIN",
                            "IdentityName": IDENTITY,
                            "SendingEnabled": True,
                            "VerificationStatus": "SUCCESS",
                        },
                        {
                            "IdentityType": "EMAIL_ADDRESS",
                            "IdentityName": "ada@example.net",
                            "SendingEnabled": True,
                            "VerificationStatus": "SUCCESS",
                        },
                    ]
                },
            )
        if bus:
            self.stub.add_response(
                "get_configuration_set_event_destinations",
                {
                    "EventDestinations": [
                        {
                            "Name": "feedback",
                            "Enabled": True,
                            "MatchingEventTypes": ["BOUNCE", "COMPLAINT"],
                            "EventBridgeDestination": {"EventBusArn": bus},
                        }
                    ]
                },
                {"ConfigurationSetName": "warm-intro-cs"},
            )
        self.stub.activate()


def fetcher(world):
    """The request page as the real handlers serve it, behind the local gateway."""

    def fetch(url: str) -> tuple[int, str]:
        answer = world.get(url)
        return answer.status, answer.text

    return fetch


def examine(world, stack: Deployment, ses: Ses, resolver=DNS.get, **stubbed) -> list[doctor.Line]:
    def aws(service: str):
        clients = {"sesv2": ses.client, **stubbed}
        return clients[service] if service in clients else boto3.client(service, region_name=REGION)

    later = datetime.now(UTC) + timedelta(minutes=1)
    lines = list(
        Doctor(
            aws, stack, resolver=lambda n, t: resolver((n, t)) or [], fetch=fetcher(world), now=lambda: later
        ).run()
    )
    ses.stub.assert_no_pending_responses()
    return lines


def by_check(lines) -> dict[str, str]:
    return {line.check: line.status for line in lines}


def test_a_healthy_stack_is_green_on_every_check(world):
    stack = build_stack(world)
    lines = examine(world, stack, Ses())
    assert [line for line in lines if line.status != GREEN] == []
    assert set(by_check(lines)) == {
        "sender",
        "SES identity",
        "DKIM",
        "SES sending",
        "SES sandbox",
        "bounce notices",
        "feedback rule",
        "alarm topic",
        "alarm subscription",
        "IntakeFunction version",
        "LinksFunction version",
        "HomeFunction version",
        "schedule",
        "scheduler runs",
        "hash key",
        *(f"{f} hash key" for f in doctor.FUNCTIONS),
        "request page",
        "table protection",
        "SPF",
        "DKIM records",
        "DMARC",
    }


def test_a_broken_stack_turns_the_matching_lines_red(world):
    """A topic with the AWS-managed key, a stale alias, a disabled schedule and feedback rule: exactly those
    lines go red."""
    stack = build_stack(world, topic_key="alias/aws/sns", schedule_state="DISABLED", rule_state="DISABLED")
    lam = boto3.client("lambda")
    lam.update_function_code(FunctionName=stack.resources["IntakeFunction"], ZipFile=code("2"))
    lam.publish_version(FunctionName=stack.resources["IntakeFunction"])  # the alias stays on version 1
    lines = examine(world, stack, Ses())
    red = {line.check: line for line in lines if line.status == RED}
    assert set(red) == {"feedback rule", "alarm topic", "IntakeFunction version", "schedule"}
    assert "DISABLED" in red["feedback rule"].detail
    assert (
        "alias/aws/sns" in red["alarm topic"].detail
        and "cloudwatch.amazonaws.com" in red["alarm topic"].detail
    )
    assert "live runs version 1, the newest is 2" in red["IntakeFunction version"].detail
    assert "older code" in red["IntakeFunction version"].detail
    assert "DISABLED" in red["schedule"].detail and red["schedule"].next_step
    assert by_check(lines)["LinksFunction version"] == GREEN


def test_a_new_layer_the_alias_does_not_run_is_red(world):
    stack = build_stack(world)
    boto3.client("lambda").publish_layer_version(
        LayerName="warm-intro-shared", Content={"ZipFile": code("2")}
    )
    lines = examine(world, stack, Ses())
    (line,) = [x for x in lines if x.check == "LinksFunction version"]
    assert line.status == RED and "layer warm-intro-shared version 1 is live, 2 is the newest" in line.detail


def test_the_sandbox_is_a_warning_that_names_who_can_be_reached(world):
    stack = build_stack(world)
    lines = examine(world, stack, Ses(sandbox=True))
    (line,) = [x for x in lines if x.check == "SES sandbox"]
    assert (
        line.status == WARN
        and "ada@example.net, example.org" in line.detail
        and "production access" in line.next_step
    )
    assert [x for x in lines if x.status == RED] == []


def test_an_unverified_identity_without_dkim_and_a_foreign_sender_are_red(world):
    stack = build_stack(world)
    stack.parameters["SenderAddress"] = "intros@elsewhere.example"
    lines = by_check(examine(world, stack, Ses(verified=False, dkim="PENDING")))
    assert (lines["sender"], lines["SES identity"], lines["DKIM"]) == (RED, RED, RED)


def test_a_configuration_set_that_does_not_publish_feedback_is_red(world):
    stack = build_stack(world)
    lines = by_check(
        examine(world, stack, Ses(bus=f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/some-other-bus"))
    )
    assert lines["bounce notices"] == RED and lines["feedback rule"] == GREEN


def test_missing_dns_records_are_red_and_unreachable_dns_is_skipped(world):
    stack = build_stack(world)
    lines = by_check(examine(world, stack, Ses(), resolver=lambda q: []))
    assert (lines["SPF"], lines["DKIM records"], lines["DMARC"]) == (RED, RED, RED)

    def unreachable(query):
        raise DnsUnreachable("Timeout")

    lines = by_check(examine(world, stack, Ses(), resolver=unreachable))
    assert lines["DNS"] == SKIP and "SPF" not in lines


def test_a_function_that_cannot_read_the_hash_key_and_an_unprotected_table_are_red(world):
    stack = build_stack(world)
    boto3.client("iam").delete_role_policy(RoleName="NotifierFunctionRole", PolicyName="read-key")
    boto3.client("dynamodb").update_table(TableName=stack.resources["Table"], DeletionProtectionEnabled=False)
    lines = examine(world, stack, Ses())
    red = {line.check: line.detail for line in lines if line.status == RED}
    assert red == {
        "NotifierFunction hash key": "its role may not read the secret",
        "table protection": "deletion protection off",
    }


def test_a_base_url_that_serves_something_else_is_red(world):
    stack = build_stack(world)
    stack.outputs["RequestPageUrl"] = "https://intros.example.org/no-such-page"
    lines = by_check(examine(world, stack, Ses()))
    assert lines["request page"] == RED


def test_the_stack_is_read_from_cloudformation():
    client = boto3.client("cloudformation", region_name=REGION)
    with Stubber(client) as stub:
        stub.add_response(
            "list_stack_resources",
            {
                "StackResourceSummaries": [
                    {
                        "LogicalResourceId": "Table",
                        "PhysicalResourceId": "warm-intro-Table-1",
                        "ResourceType": "AWS::DynamoDB::Table",
                        "LastUpdatedTimestamp": datetime.now(UTC),
                        "ResourceStatus": "CREATE_COMPLETE",
                    }
                ]
            },
            {"StackName": "warm-intro"},
        )
        stub.add_response(
            "describe_stacks",
            {
                "Stacks": [
                    {
                        "StackName": "warm-intro",
                        "CreationTime": datetime.now(UTC),
                        "StackStatus": "UPDATE_COMPLETE",
                        "Parameters": [{"ParameterKey": "SenderIdentity", "ParameterValue": IDENTITY}],
                        "Outputs": [
                            {"OutputKey": "RequestPageUrl", "OutputValue": "https://intros.example.org/"}
                        ],
                    }
                ]
            },
            {"StackName": "warm-intro"},
        )
        found = doctor.deployment(client, "warm-intro")
    assert found.resources == {"Table": "warm-intro-Table-1"} and found.parameters == {
        "SenderIdentity": IDENTITY
    }
    assert found.outputs == {"RequestPageUrl": "https://intros.example.org/"}


# --send-test ---------------------------------------------------------------------------------------


def notice(kind: str, address: str) -> dict:
    """What SES puts on the event bus for the simulator's address, as the feedback function receives it."""
    body = (
        {
            "eventType": "Bounce",
            "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": address}]},
        }
        if kind == "bounce"
        else {
            "eventType": "Complaint",
            "complaint": {"complainedRecipients": [{"emailAddress": address}]},
        }
    )
    return {
        "source": "aws.ses",
        "detail-type": "Email Bounced" if kind == "bounce" else "Email Complaint Received",
        "detail": body,
    }


def sending_ses(stack: Deployment) -> Ses:
    ses = Ses.__new__(Ses)
    ses.client = boto3.client("sesv2", region_name=REGION)
    ses.stub = Stubber(ses.client)
    for address in doctor.SIMULATOR.values():
        ses.stub.add_response(
            "send_email",
            {"MessageId": f"id-{address}"},
            {
                "FromEmailAddress": SENDER,
                "Destination": {"ToAddresses": [address]},
                "ConfigurationSetName": "warm-intro-cs",
                "Content": {
                    "Simple": {
                        "Subject": {"Data": f"warm-intro doctor: {address.split('@')[0]} test"},
                        "Body": {"Text": {"Data": "A test of the bounce and complaint chain."}},
                    }
                },
            },
        )
    ses.stub.activate()
    return ses


def test_send_test_waits_until_the_bounce_and_the_complaint_are_suppressions(world):
    stack = build_stack(world)
    ses, clock, naps = sending_ses(stack), [0.0], []

    def sleep(seconds):  # meanwhile SES -> the event bus -> the feedback function, one notice per nap
        naps.append(seconds)
        clock[0] += seconds
        kind = "bounce" if len(naps) == 1 else "complaint"
        invoke("FeedbackFunction", notice(kind, doctor.SIMULATOR[kind]))

    lines = list(
        send_test(
            lambda s: ses.client,
            stack,
            runtime.repository(),
            world.settings.hash_key,
            timeout=60,
            sleep=sleep,
            clock=lambda: clock[0],
        )
    )
    ses.stub.assert_no_pending_responses()
    assert [(x.check, x.status) for x in lines] == [
        ("test send", GREEN),
        ("bounce notice", GREEN),
        ("complaint notice", GREEN),
    ]
    assert lines[2].detail == "became a suppression after 10 s"


def test_send_test_is_red_when_the_notices_never_arrive(world):
    stack = build_stack(world)
    ses, clock = sending_ses(stack), [0.0]

    def sleep(seconds):
        clock[0] += seconds

    lines = list(
        send_test(
            lambda s: ses.client,
            stack,
            runtime.repository(),
            world.settings.hash_key,
            timeout=30,
            sleep=sleep,
            clock=lambda: clock[0],
        )
    )
    assert [(x.check, x.status) for x in lines] == [
        ("test send", GREEN),
        ("bounce notice", RED),
        ("complaint notice", RED),
    ]
    assert clock[0] == 30


# the command line ----------------------------------------------------------------------------------


def test_the_command_prints_one_line_per_check_and_fails_when_any_is_red(world, monkeypatch, capsys):
    stack = build_stack(world, schedule_state="DISABLED")
    ses = Ses()
    session = boto3.Session(region_name=REGION)
    broken = target.Target(session, stack.resources["Table"], "warm-intro", stack="warm-intro")
    monkeypatch.setattr(
        broken, "client", lambda service: ses.client if service == "sesv2" else session.client(service)
    )
    monkeypatch.setattr(target, "deployed", lambda *args: broken)
    monkeypatch.setattr(doctor, "deployment", lambda client, name: stack)
    monkeypatch.setattr(doctor, "http_fetch", fetcher(world))
    capsys.readouterr()
    code = cli.main(["--stack", "warm-intro", "--region", REGION, "doctor", "--no-dns"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "✘ schedule: warm-intro-SchedulerFunctionEvery5Minutes-1AB2 is DISABLED" in out
    assert "✔ table protection" in out and "- DNS: no DNS lookups" in out
    assert err.strip().startswith("1 failed, 0 warnings, ") and err.strip().endswith(" passed, 1 skipped")


def test_the_command_needs_a_stack_or_the_local_server(world, capsys):
    capsys.readouterr()
    code = cli.main(["--table", world.settings.table_name, "--region", REGION, "doctor"])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and "doctor needs the stack (--stack NAME --region R) or --local." in err


def test_an_alarm_subscription_nobody_confirmed_is_red(world):
    stack = build_stack(world)
    real, sns = boto3.client("sns", region_name=REGION), boto3.client("sns", region_name=REGION)
    with Stubber(sns) as stub:
        for topic in ("AlarmTopic",):
            arn = stack.resources[topic]
            stub.add_response(
                "get_topic_attributes", real.get_topic_attributes(TopicArn=arn), {"TopicArn": arn}
            )
        stub.add_response(
            "list_subscriptions_by_topic",
            {
                "Subscriptions": [
                    {
                        "SubscriptionArn": "PendingConfirmation",
                        "Owner": ACCOUNT,
                        "Protocol": "email",
                        "Endpoint": "ops@example.org",
                        "TopicArn": stack.resources["AlarmTopic"],
                    }
                ]
            },
            {"TopicArn": stack.resources["AlarmTopic"]},
        )
        lines = examine(world, stack, Ses(), sns=sns)
    (line,) = [x for x in lines if x.check == "alarm subscription"]
    assert (
        line.status == RED
        and "ops@example.org has not confirmed" in line.detail
        and "Confirmation" in line.next_step
    )
