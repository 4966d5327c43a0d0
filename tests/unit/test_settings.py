"""Settings read from the environment: each variable converted by its field's type and refused,
naming the field, when it is not one; nothing but the fields' own variables is read."""

from __future__ import annotations

import dataclasses
import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.domain.hashing import HashKey
from warm_intro.domain.rules import OverCapacity
from warm_intro.settings import InvalidSettings, Settings

BASE = {"TABLE_NAME": "t", "SENDER": "intros@example.org", "HASH_KEY": "k" * 16}
BOUNDED = {
    f.name: f.metadata
    for f in dataclasses.fields(Settings)
    if f.metadata.get("gt") is not None or f.metadata.get("ge") is not None
}


def test_defaults_written_out_as_the_template_passes_them_read_back_the_same():
    defaults = Settings.from_env(BASE)
    as_env = {
        name.upper(): ",".join(value) if isinstance(value, tuple) else str(value)
        for name in Settings.names()
        if (value := getattr(defaults, name)) is not None
    }
    assert Settings.from_env(as_env) == defaults


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(sorted(BOUNDED)), value=st.integers(-5, 400))
def test_a_number_is_read_from_its_text_and_held_to_its_bound(name, value):
    bound = BOUNDED[name]
    allowed = value > bound["gt"] if bound.get("gt") is not None else value >= bound["ge"]
    if allowed:
        read = getattr(Settings.from_env({**BASE, name.upper(): str(value)}), name)
        assert read == value and type(read) is typing.get_type_hints(Settings)[name]
    else:
        with pytest.raises(InvalidSettings, match=f"^{name}: "):
            Settings.from_env({**BASE, name.upper(): str(value)})


def test_every_wrong_value_is_named_at_once():
    with pytest.raises(InvalidSettings) as refused:
        Settings.from_env(
            {
                **BASE,
                "HASH_KEY": "short",
                "LIMIT_IP_HOUR": "many",
                "REQUEST_POLICY": "everyone",
                "CONNECTOR_OVER_CAPACITY": "drop",
                "BASE_URL": "intros.example.org",
                "ACCENT_COLOR": "green",
                "REMINDER_DAYS": "1.5.2",
            }
        )
    named = {part.split(":")[0] for part in str(refused.value).split("; ")}
    assert named == {
        "hash_key",
        "limit_ip_hour",
        "request_policy",
        "connector_over_capacity",
        "base_url",
        "accent_color",
        "reminder_days",
    }


def test_text_becomes_the_fields_types():
    s = Settings.from_env(
        {
            **BASE,
            "REQUEST_POLICY": "members_and_domains",
            "ALLOWED_DOMAINS": " Example.org, @corp.example ,",
            "DOTLESS_DOMAINS": "fastmail.example",
            "CONNECTOR_OVER_CAPACITY": "refuse",
            "REMINDER_DAYS": "2.5",
            "BASE_URL": "https://intros.example.org/",
            "UNRELATED": "ignored",
        }
    )
    assert s.allowed_domains == ("example.org", "corp.example")
    assert s.connector_over_capacity is OverCapacity.REFUSE
    assert s.reminder_days == 2.5 and s.base_url == "https://intros.example.org"
    assert isinstance(s.hash_key, HashKey) and s.hash_key.dotless == {"fastmail.example"}
    assert s.reply_to is None and s.limits.connector_over_capacity is OverCapacity.REFUSE


def test_a_missing_required_setting_is_named_with_its_variable():
    with pytest.raises(InvalidSettings, match=r"sender: required \(SENDER\)"):
        Settings.from_env({"TABLE_NAME": "t", "HASH_KEY": "k" * 16})


def test_settings_cannot_change_once_read():
    s = Settings.from_env(BASE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.org_name = "Someone else"  # type: ignore[misc]


def test_a_key_kept_in_a_secret_is_read_on_first_use_once_and_carries_the_domains():
    read: list[str] = []

    def secret(name: str) -> str:
        read.append(name)
        return "s" * 32

    env = {
        "TABLE_NAME": "t",
        "SENDER": "a@example.org",
        "HASH_KEY_SECRET": "arn:k",
        "DOTLESS_DOMAINS": "x.example",
    }
    s = Settings.from_env(env, read_secret=secret)
    assert read == [] and "s" * 32 not in repr(s)
    assert s.hash_key == "s" * 32 and isinstance(s.hash_key, HashKey) and s.hash_key.dotless == {"x.example"}
    assert s.hash_key is s.hash_key and read == ["arn:k"]
    assert s == Settings.from_env({**env, "HASH_KEY": "s" * 32}) and read == ["arn:k"]
