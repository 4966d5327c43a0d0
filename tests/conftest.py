"""Shared fixtures. The environment is the one a deployed function gets, pointed at moto."""

from __future__ import annotations

import os

TEST_ENV = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "TABLE_NAME": "intros-test",
    "BASE_URL": "https://intros.example.org",
    "ORG_NAME": "Bletchley Circle",
    "SENDER": "intros@example.org",
    "HASH_KEY": "test-hash-key-not-secret-0123456789",
    "POWERTOOLS_SERVICE_NAME": "warm-intro",
    "POWERTOOLS_METRICS_NAMESPACE": "WarmIntro",
    "POWERTOOLS_DEV": "false",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}
os.environ.update(TEST_ENV)
for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "LOCAL_AWS_PORT"):
    os.environ.pop(name, None)

pytest_plugins = ["tests.support.fixtures"]
