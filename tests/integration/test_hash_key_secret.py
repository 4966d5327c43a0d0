"""Deployed, a function gets only the hash key's secret ARN and reads the key once per container."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from warm_intro import runtime
from warm_intro.settings import Settings

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


def test_the_key_is_read_from_the_secret_once_per_container(deployed_env):
    calls = []
    runtime.client("secretsmanager").meta.events.register(
        "before-parameter-build.secrets-manager.GetSecretValue",
        lambda params, **kw: calls.append(params["SecretId"]),
    )
    assert runtime.settings().hash_key == KEY
    assert runtime.settings().hash_key == KEY
    assert calls == [deployed_env]


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
