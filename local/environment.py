"""The environment a deployed function gets, pointed at moto: what the tests and the benchmark run
the handlers in. `use()` puts it in place and removes what would point the SDK at a real account."""

from __future__ import annotations

import os

from warm_intro.settings import env_var

ENVIRONMENT = {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    env_var("table_name"): "intros-test",
    env_var("base_url"): "https://intros.example.org",
    env_var("org_name"): "Bletchley Circle",
    env_var("sender"): "intros@example.org",
    env_var("hash_key"): "test-hash-key-not-secret-0123456789",
    "POWERTOOLS_SERVICE_NAME": "warm-intro",
    "POWERTOOLS_METRICS_NAMESPACE": "WarmIntro",
    "POWERTOOLS_DEV": "false",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}
ELSEWHERE = ("AWS_ENDPOINT_URL", "AWS_PROFILE", "LOCAL_AWS_PORT")


def use() -> None:
    os.environ.update(ENVIRONMENT)
    for name in ELSEWHERE:
        os.environ.pop(name, None)
