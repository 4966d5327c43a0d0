"""The admin CLI sees every setting the functions see, through the one mapping parameter -> variable
-> field: from a stack's parameters, and (local server, a table named directly) from the very
variables the functions read. Each setting is given a value other than its default, so a setting the
CLI missed would show up as the default."""

from __future__ import annotations

import pytest

from local import template
from warm_intro.domain.rules import OverCapacity
from warm_intro.settings import PARAMETERS, Settings, env_var, timings_of
from warm_intro_admin import target
from warm_intro_admin.target import AdminError, Target

REQUIRED = {"TABLE_NAME": "intros-test", "HASH_KEY": "k" * 16}
KNOWN = {
    "base_url": "https://intros.example.net",
    "org_name": "Bletchley Circle",
    "sender": "intros@example.net",
    "reply_to": "office@example.net",
    "request_policy": "members_and_domains",
    "allowed_domains": "Example.NET, @bletchley.example",
    "dotless_domains": "mail.example",
    "accent_color": "#123456",
    "logo_url": "https://intros.example.net/logo.png",
    "connector_over_capacity": OverCapacity.REFUSE.value,
    "connector_policy": "any",
    "remind_targets": "true",
    "language": "de",
    "contact_email": "privacy@example.net",
}


def sample(field: str) -> str:
    """A valid value other than the default: numbers one more; the rest as KNOWN says, or else the
    template parameter's own default (a new setting still shows whether it arrives at all)."""
    default = Settings.default(field)
    if isinstance(default, int | float) and not isinstance(default, bool):
        return str(default + 1)
    if field in KNOWN:
        return KNOWN[field]
    return str(template.load()["Parameters"][next(p for p, f in PARAMETERS.items() if f == field)]["Default"])


PARAMETER_VALUES = {parameter: sample(field) for parameter, field in PARAMETERS.items()}


def functions_settings() -> Settings:
    return Settings.from_env(REQUIRED | {env_var(f): PARAMETER_VALUES[p] for p, f in PARAMETERS.items()})


def expected() -> dict:
    functions = functions_settings()
    return {field: getattr(functions, field) for field in PARAMETERS.values()}


def a_target(parameters: dict[str, str]) -> Target:
    return Target(session=None, table="intros-test", label="test", parameters=parameters)


def test_the_samples_differ_from_every_default():
    defaults = Settings.from_env(REQUIRED | {"SENDER": "intros@example.org"})
    changed = {f for f in PARAMETERS.values() if getattr(functions_settings(), f) != getattr(defaults, f)}
    assert changed >= set(PARAMETERS.values()) - {"sender"}  # sender has no default at all


def test_from_a_stacks_parameters_the_cli_sees_every_setting_the_functions_see():
    found = a_target(PARAMETER_VALUES)
    assert found.settings == expected()
    assert timings_of(found.settings) == functions_settings().timings


def test_from_the_functions_variables_the_cli_sees_every_setting_the_functions_see(monkeypatch):
    for parameter, field in PARAMETERS.items():
        monkeypatch.setenv(env_var(field), PARAMETER_VALUES[parameter])
    found = a_target(target._from_env())
    assert found.settings == expected()
    assert timings_of(found.settings) == functions_settings().timings


def test_a_setting_the_functions_would_refuse_is_an_admin_error_not_a_traceback():
    with pytest.raises(AdminError, match="reminder_days"):
        _ = a_target({"ReminderDays": "0"}).settings
