"""Deployed, a function gets only the hash key's secret ARN and reads the key once per container, when
a request first hashes an address: a link's page view never does, so its cold start reads no secret."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from local.environment import ENVIRONMENT
from local.lambdas import invoke
from local.samples import load, with_token
from warm_intro import runtime
from warm_intro.domain.model import State
from warm_intro.settings import InvalidSettings, Settings, env_var

KEY = "a-generated-key-of-forty-eight-characters-0123456"


@pytest.fixture
def deployed_env(monkeypatch):
    with mock_aws():
        arn = boto3.client("secretsmanager").create_secret(Name="HashKey-abc", SecretString=KEY)["ARN"]
        monkeypatch.delenv("HASH_KEY")
        monkeypatch.setenv("HASH_KEY_SECRET", arn)
        runtime.reset()
        yield arn
    runtime.reset()


def secret_reads() -> list[str]:
    """Every GetSecretValue the functions' shared client makes from now on, by secret."""
    calls: list[str] = []
    runtime.client("secretsmanager").meta.events.register(
        "before-parameter-build.secrets-manager.GetSecretValue",
        lambda params, **kw: calls.append(params["SecretId"]),
    )
    return calls


def test_the_key_is_read_from_the_secret_once_per_container(deployed_env):
    calls = secret_reads()
    assert runtime.settings().table_name and calls == []  # settings alone read no secret
    assert runtime.settings().hash_key == KEY
    assert runtime.settings().hash_key == KEY
    assert calls == [deployed_env]


def test_a_page_view_reads_no_secret_and_the_first_decision_reads_it_once(world, monkeypatch):
    world.ask()
    world.deliver()
    link = world.last_link("ada@example.org")
    key = ENVIRONMENT[env_var("hash_key")]  # the key the world's introduction was hashed with
    arn = boto3.client("secretsmanager").create_secret(Name="HashKey-page", SecretString=key)["ARN"]
    monkeypatch.delenv("HASH_KEY")
    monkeypatch.setenv("HASH_KEY_SECRET", arn)
    runtime.reset()  # a cold container, as deployed
    calls = secret_reads()

    page = invoke("LinksFunction", with_token(load("links_get.json"), link))
    assert page["statusCode"] == 200 and "<form" in page["body"]
    assert calls == []

    assert world.post_form(link, {"decision": "confirm"}).status == 200  # indexes it by hashed address
    assert world.post_form(link, {"decision": "confirm"}).status == 409  # already decided
    items = runtime.client("dynamodb").scan(TableName=world.settings.table_name)["Items"]
    (intro_id,) = {i["pk"]["S"].removeprefix("INTRO#") for i in items if i["pk"]["S"].startswith("INTRO#")}
    assert world.intro(intro_id).state is not State.UNCONFIRMED
    assert calls == [arn]


@pytest.mark.parametrize(
    ("stored", "refused"),
    [({"SecretBinary": KEY.encode()}, "not a string"), ({"SecretString": "too-short"}, "at least 16")],
)
def test_a_secret_that_is_no_key_is_refused_when_the_key_is_needed(stored, refused, monkeypatch):
    with mock_aws():
        arn = boto3.client("secretsmanager").create_secret(Name="HashKey-bad", **stored)["ARN"]
        monkeypatch.delenv("HASH_KEY")
        monkeypatch.setenv("HASH_KEY_SECRET", arn)
        runtime.reset()
        try:
            settings = runtime.settings()
            with pytest.raises(InvalidSettings, match=f"hash_key: .*{refused}"):
                settings.hash_key  # noqa: B018
            assert "too-short" not in repr(settings) and KEY not in repr(settings)
        finally:
            runtime.reset()


def test_a_key_given_directly_wins_and_no_secret_is_read():
    read = []
    settings = Settings.from_env(
        {"TABLE_NAME": "t", "SENDER": "a@example.org", "HASH_KEY": KEY, "HASH_KEY_SECRET": "arn:secret"},
        read_secret=read.append,
    )
    assert settings.hash_key == KEY and read == []


def test_without_a_key_or_a_secret_the_settings_are_refused():
    with pytest.raises(ValueError, match="hash_key"):
        Settings.from_env({"TABLE_NAME": "t", "SENDER": "a@example.org"}, read_secret=lambda name: KEY)
