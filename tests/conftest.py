"""Shared fixtures. The environment is the one a deployed function gets, pointed at moto
(local.environment, shared with the benchmark)."""

from __future__ import annotations

from local import environment

environment.use()
TEST_ENV = environment.ENVIRONMENT

pytest_plugins = ["tests.support.fixtures"]
