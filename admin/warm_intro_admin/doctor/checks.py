"""The checks, one method per area, each yielding lines. AWS is reached through the target's clients."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from warm_intro.settings import HASH_KEY_SECRET

from .lookups import DnsUnreachable, Fetch, Resolver
from .policies import allows, inline_policies
from .report import GREEN, RED, SKIP, WARN, Line
from .stack import ALIASED, FEEDBACK_RULE, FUNCTIONS, SCHEDULE, Deployment, belongs_to, sender_domain

SCHEDULER_SILENCE = timedelta(minutes=15)


class Doctor:
    def __init__(
        self,
        aws: Callable[[str], Any],  # boto3 clients: untyped at this boundary, as in the layer
        stack: Deployment,
        *,
        resolver: Resolver | None,
        fetch: Fetch,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.aws, self.stack, self.resolver, self.fetch, self.now = aws, stack, resolver, fetch, now
        self.identity = stack.parameters.get("SenderIdentity", "")
        self.sender = stack.parameters.get("SenderAddress", "")
        # What SES says about the identity, for the DNS checks that follow.
        self.dkim_tokens: list[str] = []
        self.mail_from: str | None = None

    def run(self) -> Iterator[Line]:
        for check in (
            self.ses_identity,
            self.ses_account,
            self.feedback,
            self.alarms,
            self.aliases,
            self.schedule,
            self.hash_key,
            self.base_url,
            self.table,
            self.dns,
        ):
            try:
                yield from check()
            except ClientError as error:
                e = error.response["Error"]
                yield Line(
                    RED,
                    check.__name__.replace("_", " "),
                    f"AWS refused {error.operation_name}: {e.get('Code')}",
                    "check that your credentials may read this stack's resources",
                )

    # SES -------------------------------------------------------------------------------------------

    def ses_identity(self) -> Iterator[Line]:
        if not belongs_to(self.sender, self.identity):
            yield Line(
                RED,
                "sender",
                f"SenderAddress {self.sender} is not covered by SenderIdentity {self.identity}",
                "set SenderIdentity to the sender's domain (or the address itself) and deploy",
            )
        else:
            yield Line(GREEN, "sender", f"{self.sender} sends as the identity {self.identity}")
        if self.stack.local:
            yield from self._local_identity()
            return
        try:
            found = self.aws("sesv2").get_email_identity(EmailIdentity=self.identity)
        except ClientError as error:
            if error.response["Error"]["Code"] != "NotFoundException":
                raise
            yield Line(
                RED,
                "SES identity",
                f"{self.identity} is not an SES identity in this region",
                f"aws sesv2 create-email-identity --email-identity {self.identity}, then add its DNS records",
            )
            return
        self.dkim_tokens = found.get("DkimAttributes", {}).get("Tokens", [])
        self.mail_from = found.get("MailFromAttributes", {}).get("MailFromDomain")
        if found.get("VerifiedForSendingStatus"):
            yield Line(GREEN, "SES identity", f"{self.identity} is verified for sending")
        else:
            yield Line(
                RED,
                "SES identity",
                f"{self.identity} is not verified yet",
                "add the DNS records SES gave you and wait for VerifiedForSendingStatus",
            )
        dkim = found.get("DkimAttributes", {})
        if dkim.get("SigningEnabled") and dkim.get("Status") == "SUCCESS":
            yield Line(GREEN, "DKIM", f"{self.identity} signs with DKIM")
        else:
            yield Line(
                RED,
                "DKIM",
                f"signing {'on' if dkim.get('SigningEnabled') else 'off'}, "
                f"status {dkim.get('Status', 'none')}",
                "add the three DKIM CNAME records SES shows for the identity",
            )

    def _local_identity(self) -> Iterator[Line]:
        """The embedded SES keeps identities verified through the v1 API and signs nothing."""
        found = self.aws("ses").get_identity_verification_attributes(Identities=[self.identity])[
            "VerificationAttributes"
        ]
        if found.get(self.identity, {}).get("VerificationStatus") == "Success":
            yield Line(GREEN, "SES identity", f"{self.identity} is verified in the embedded SES")
        else:
            yield Line(
                RED,
                "SES identity",
                f"{self.identity} is not verified in the embedded SES",
                "restart the local server (make run): it verifies SENDER's domain",
            )
        yield Line(SKIP, "DKIM", "the embedded SES signs nothing")

    def ses_account(self) -> Iterator[Line]:
        if self.stack.local:
            yield Line(SKIP, "SES account", "the local server has no SES account to ask")
            return
        account = self.aws("sesv2").get_account()
        if account.get("SendingEnabled"):
            yield Line(GREEN, "SES sending", "sending is enabled for the account")
        else:
            yield Line(
                RED,
                "SES sending",
                f"sending is paused ({account.get('EnforcementStatus', 'unknown')})",
                "see the SES console's account dashboard; SES pauses accounts under review",
            )
        if account.get("ProductionAccessEnabled"):
            yield Line(GREEN, "SES sandbox", "the account is out of the sandbox: mail reaches anyone")
            return
        reachable = sorted(i["IdentityName"] for i in self._verified_identities())
        yield Line(
            WARN,
            "SES sandbox",
            "the account is in the SES sandbox: mail reaches only verified identities ("
            + (", ".join(reachable) or "none")
            + ")",
            "request production access (see docs/deploy.md)",
        )

    def _verified_identities(self) -> Iterable[dict]:
        kwargs: dict = {}
        while True:
            page = self.aws("sesv2").list_email_identities(**kwargs)
            yield from (
                i
                for i in page["EmailIdentities"]
                if i.get("SendingEnabled", True) and i.get("VerificationStatus", "SUCCESS") == "SUCCESS"
            )
            if not page.get("NextToken"):
                return
            kwargs["NextToken"] = page["NextToken"]

    def feedback(self) -> Iterator[Line]:
        """SES -> the default event bus (FeedbackDestination) -> the rule -> the feedback function."""
        if not self.stack.has("ConfigurationSet", FEEDBACK_RULE, "FeedbackFunction"):
            yield Line(SKIP, "bounce notices", "no configuration set or feedback rule here")
            return
        destinations = self.aws("sesv2").get_configuration_set_event_destinations(
            ConfigurationSetName=self.stack.resources["ConfigurationSet"]
        )["EventDestinations"]
        wired = [
            d
            for d in destinations
            if d.get("Enabled")
            and {"BOUNCE", "COMPLAINT"} <= set(d["MatchingEventTypes"])
            and d.get("EventBridgeDestination", {}).get("EventBusArn", "").endswith(":event-bus/default")
        ]
        if wired:
            yield Line(
                GREEN,
                "bounce notices",
                "the configuration set publishes bounces and complaints to the event bus",
            )
        else:
            yield Line(
                RED,
                "bounce notices",
                "the configuration set does not publish bounces and complaints to the default event bus",
                "redeploy the stack (sam deploy) so FeedbackDestination is restored",
            )
        events = self.aws("events")
        rule = events.describe_rule(Name=self.stack.resources[FEEDBACK_RULE])
        function = self.stack.resources["FeedbackFunction"]
        targets = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        if rule.get("State") != "ENABLED":
            yield Line(RED, "feedback rule", f"the rule {rule['Name']} is {rule.get('State')}", "enable it")
        elif not any(t["Arn"].endswith(f":function:{function}") for t in targets):
            yield Line(
                RED, "feedback rule", "the rule does not invoke the feedback function", "redeploy the stack"
            )
        else:
            yield Line(GREEN, "feedback rule", "bounce and complaint events invoke the feedback function")

    def _publishable(self, topic: str, service: str, label: str) -> Iterator[Line]:
        attributes = self.aws("sns").get_topic_attributes(TopicArn=topic)["Attributes"]
        if not allows(json.loads(attributes.get("Policy", "{}")), service, "sns:Publish"):
            yield Line(RED, label, f"the topic policy does not let {service} publish", "redeploy the stack")
            return
        key = attributes.get("KmsMasterKeyId")
        if not key:
            yield Line(GREEN, label, f"{service} may publish (unencrypted topic)")
            return
        problem = self._key_problem(key, service)
        if problem:
            yield Line(
                RED,
                label,
                problem,
                "give TopicKeyArn a key whose policy lets the service publish, or leave it empty",
            )
        else:
            yield Line(GREEN, label, f"{service} may publish through the topic's key")

    def _key_problem(self, key: str, service: str) -> str | None:
        if key.startswith("alias/aws/"):
            return f"encrypted with the AWS-managed key {key}, which {service} cannot use"
        kms = self.aws("kms")
        metadata = kms.describe_key(KeyId=key)["KeyMetadata"]
        if metadata.get("KeyManager") == "AWS":
            return f"encrypted with an AWS-managed key ({key}), which {service} cannot use"
        policy = json.loads(kms.get_key_policy(KeyId=metadata["KeyId"], PolicyName="default")["Policy"])
        missing = [a for a in ("kms:GenerateDataKey*", "kms:Decrypt") if not allows(policy, service, a)]
        return f"the key's policy does not allow {service} {', '.join(missing)}" if missing else None

    # alarms, versions, schedule --------------------------------------------------------------------

    def alarms(self) -> Iterator[Line]:
        if not self.stack.has("AlarmTopic"):
            yield Line(SKIP, "alarm topic", "no alarm topic here")
            return
        topic = self.stack.resources["AlarmTopic"]
        yield from self._publishable(topic, "cloudwatch.amazonaws.com", "alarm topic")
        subscriptions = self.aws("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        confirmed = [s["Endpoint"] for s in subscriptions if s["SubscriptionArn"].startswith("arn:")]
        if confirmed:
            yield Line(GREEN, "alarm subscription", f"alarms reach {', '.join(confirmed)}")
        elif subscriptions:
            yield Line(
                RED,
                "alarm subscription",
                f"{subscriptions[0]['Endpoint']} has not confirmed the subscription",
                "click the link in AWS's 'Subscription Confirmation' email",
            )
        else:
            yield Line(
                RED, "alarm subscription", "nobody receives alarms", "deploy with AlarmEmail=<your address>"
            )

    def aliases(self) -> Iterator[Line]:
        if not self.stack.has(*ALIASED):
            yield Line(SKIP, "live versions", "the local server runs the code as it is")
            return
        lam = self.aws("lambda")
        for name in ALIASED:
            function = self.stack.resources[name]
            live = lam.get_alias(FunctionName=function, Name="live")["FunctionVersion"]
            versions = [
                v
                for page in lam.get_paginator("list_versions_by_function").paginate(FunctionName=function)
                for v in page["Versions"]
                if v["Version"] != "$LATEST"
            ]
            if not versions:
                yield Line(
                    RED,
                    f"{name} version",
                    "no version is published",
                    "deploy again (sam build && sam deploy)",
                )
                continue
            newest = max(versions, key=lambda v: int(v["Version"]))
            latest = lam.get_function_configuration(FunctionName=function)
            running = lam.get_function_configuration(FunctionName=function, Qualifier=live)
            stale = _differences(latest, running) + self._older_layers(running)
            if live != newest["Version"]:
                stale.insert(0, f"live runs version {live}, the newest is {newest['Version']}")
            if stale:
                yield Line(
                    RED,
                    f"{name} version",
                    "; ".join(stale),
                    "deploy again (sam build && sam deploy); the template publishes a version on every change",
                )
            else:
                yield Line(
                    GREEN, f"{name} version", f"live runs version {live}, the newest, with the newest layer"
                )

    def _older_layers(self, configuration: dict) -> list[str]:
        found = []
        for layer in configuration.get("Layers", []):
            arn, _, version = layer["Arn"].rpartition(":")
            versions = self.aws("lambda").list_layer_versions(LayerName=arn.rpartition(":")[2])[
                "LayerVersions"
            ]
            newest = max((v["Version"] for v in versions), default=int(version))
            if int(version) < newest:
                found.append(
                    f"layer {arn.rpartition(':')[2]} version {version} is live, {newest} is the newest"
                )
        return found

    def schedule(self) -> Iterator[Line]:
        schedule = self.stack.resources.get(SCHEDULE)
        if schedule is None:
            yield Line(SKIP, "schedule", "the local server runs the scheduler from its outbox page")
            return
        state = self.aws("scheduler").get_schedule(Name=schedule)["State"]
        if state != "ENABLED":
            yield Line(
                RED,
                "schedule",
                f"{schedule} is {state}: no reminders, expiries or follow-ups",
                f"aws scheduler update-schedule --name {schedule} --state ENABLED ... (or redeploy)",
            )
        else:
            yield Line(GREEN, "schedule", f"{schedule} is enabled")
        end = self.now()
        points = self.aws("cloudwatch").get_metric_statistics(
            Namespace="AWS/Lambda",
            MetricName="Invocations",
            Statistics=["Sum"],
            Period=300,
            Dimensions=[{"Name": "FunctionName", "Value": self.stack.resources["SchedulerFunction"]}],
            StartTime=end - SCHEDULER_SILENCE,
            EndTime=end,
        )["Datapoints"]
        if sum(p["Sum"] for p in points) > 0:
            yield Line(GREEN, "scheduler runs", "the scheduler ran in the last 15 minutes")
        else:
            yield Line(
                RED,
                "scheduler runs",
                "the scheduler has not run in the last 15 minutes",
                "check the schedule's state and the scheduler's log group",
            )

    # the hash key, the page, the table -------------------------------------------------------------

    def hash_key(self) -> Iterator[Line]:
        if not self.stack.has("HashKey"):
            yield Line(SKIP, "hash key", "the local server uses a fixed key")
            return
        secret = self.aws("secretsmanager").describe_secret(SecretId=self.stack.resources["HashKey"])
        if secret.get("DeletedDate"):
            yield Line(
                RED,
                "hash key",
                "the secret is scheduled for deletion: every opt-out would be forgotten",
                f"aws secretsmanager restore-secret --secret-id {secret['ARN']}",
            )
            return
        yield Line(GREEN, "hash key", "the secret exists")
        lam, iam = self.aws("lambda"), self.aws("iam")
        for name in (f for f in FUNCTIONS if f in self.stack.resources):
            configuration = lam.get_function_configuration(FunctionName=self.stack.resources[name])
            pointed = configuration.get("Environment", {}).get("Variables", {}).get(HASH_KEY_SECRET)
            role = configuration["Role"].rpartition("/")[2]
            policies = [json.loads(d) if isinstance(d, str) else d for d in inline_policies(iam, role)]
            if pointed != secret["ARN"]:
                yield Line(
                    RED,
                    f"{name} hash key",
                    "HASH_KEY_SECRET does not name the stack's secret",
                    "redeploy the stack",
                )
            elif not any(allows(p, None, "secretsmanager:GetSecretValue", secret["ARN"]) for p in policies):
                yield Line(RED, f"{name} hash key", "its role may not read the secret", "redeploy the stack")
            else:
                yield Line(GREEN, f"{name} hash key", "reads the key from the secret")

    def base_url(self) -> Iterator[Line]:
        url = self.stack.outputs.get("RequestPageUrl")
        if not url:
            yield Line(
                RED, "request page", "the stack has no RequestPageUrl output", "is the stack fully deployed?"
            )
            return
        try:
            status, body = self.fetch(url)
        except OSError as error:
            yield Line(
                RED,
                "request page",
                f"{url} does not answer ({error})",
                "check BaseUrl / CustomDomain and the CNAME to ApiDomainTarget",
            )
            return
        if status == 200 and "<form" in body and 'method="post"' in body:
            yield Line(GREEN, "request page", f"{url} answers with the request form")
        else:
            yield Line(
                RED,
                "request page",
                f"{url} answers {status} without the request form",
                "check that BaseUrl points at this stack's API",
            )

    def table(self) -> Iterator[Line]:
        name = self.stack.resources["Table"]
        if self.stack.local:
            yield Line(SKIP, "table protection", f"{name} lives in memory; deployed tables keep backups")
            return
        dynamodb = self.aws("dynamodb")
        backups = dynamodb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
        protected = dynamodb.describe_table(TableName=name)["Table"].get("DeletionProtectionEnabled")
        if pitr == "ENABLED" and protected:
            yield Line(GREEN, "table protection", "point-in-time recovery and deletion protection are on")
        else:
            missing = [
                w
                for w, on in (
                    ("point-in-time recovery", pitr == "ENABLED"),
                    ("deletion protection", protected),
                )
                if not on
            ]
            yield Line(
                RED,
                "table protection",
                f"{' and '.join(missing)} off",
                "redeploy the stack: the template turns both on",
            )

    # DNS -------------------------------------------------------------------------------------------

    def dns(self) -> Iterator[Line]:
        domain = sender_domain(self.identity)
        if self.resolver is None:
            yield Line(SKIP, "DNS", f"no DNS lookups for {domain} here")
            return
        try:
            spf_domain = self.mail_from or domain
            spf = [t for t in self.resolver(spf_domain, "TXT") if t.startswith("v=spf1")]
            dmarc = [t for t in self.resolver(f"_dmarc.{domain}", "TXT") if t.startswith("v=DMARC1")]
            dkim = {
                token: self.resolver(f"{token}._domainkey.{domain}", "CNAME") for token in self.dkim_tokens
            }
        except DnsUnreachable as error:
            yield Line(SKIP, "DNS", f"no DNS server answered ({error}); SPF, DKIM and DMARC not checked")
            return
        if any("amazonses.com" in t for t in spf):
            yield Line(GREEN, "SPF", f"{spf_domain} allows SES to send")
        else:
            yield Line(
                RED,
                "SPF",
                f"no SPF record for SES on {spf_domain}",
                f'add TXT "v=spf1 include:amazonses.com ~all" to {spf_domain}',
            )
        if dkim and all(dkim.values()):
            yield Line(GREEN, "DKIM records", f"{len(dkim)} DKIM CNAME records found")
        else:
            yield Line(
                RED,
                "DKIM records",
                "DKIM CNAME records missing" if dkim else "SES gave no DKIM tokens to look up",
                "add the CNAME records aws sesv2 get-email-identity lists under DkimAttributes",
            )
        if dmarc:
            yield Line(GREEN, "DMARC", f"_dmarc.{domain}: {dmarc[0]}")
        else:
            yield Line(
                RED,
                "DMARC",
                f"no DMARC record on _dmarc.{domain}",
                f'add TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@{domain}"',
            )


def _differences(latest: dict, running: dict) -> list[str]:
    found = []
    if latest.get("CodeSha256") != running.get("CodeSha256"):
        found.append("the live version runs older code than $LATEST")
    if [layer["Arn"] for layer in latest.get("Layers", [])] != [
        layer["Arn"] for layer in running.get("Layers", [])
    ]:
        found.append("the live version runs an older layer than $LATEST")
    if latest.get("Environment") != running.get("Environment"):
        found.append("the live version runs older settings than $LATEST")
    return found
