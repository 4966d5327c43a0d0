"""The organisation's configuration: read from the environment once, validated, then immutable."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .domain.hashing import HashKey
from .domain.languages import SHIPPED, is_shipped
from .domain.rules import Limits, OverCapacity, Timings

# Deployed, the functions get the name (ARN) of the hash key's secret, never the key.
HASH_KEY_SECRET = "HASH_KEY_SECRET"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    table_name: str
    base_url: str = Field(
        "",
        description="Where links in emails point; never taken from a request's Host. Empty: pages link relatively.",
    )
    org_name: str = "Our community"
    sender: str = Field(description="The SES identity mail is sent from, e.g. intros@example.org")
    reply_to: str | None = None
    config_set: str | None = None
    hash_key: str = Field(min_length=16, description="Secret for keyed hashes of opted-out addresses")
    request_policy: Literal["members", "members_and_domains", "anyone"] = "members"
    allowed_domains: tuple[str, ...] = ()
    accent_color: str = "#1f6f5c"
    logo_url: str | None = None
    reminder_days: float = Field(4, gt=0)
    expiry_days: float = Field(10, gt=0)
    unconfirmed_hours: float = Field(24, gt=0)
    followup_days: float = Field(7, gt=0)
    limit_requester_open: int = Field(3, ge=1)
    limit_requester_30d: int = Field(10, ge=1)
    limit_connector_week: int = Field(5, ge=1)
    connector_over_capacity: OverCapacity = OverCapacity.WAIT
    limit_target_30d: int = Field(3, ge=1)
    block_after_decline_days: int = Field(180, ge=0)
    limit_ip_hour: int = Field(20, ge=1)
    content_retention_days: float = Field(30, gt=0)
    limit_confirm_day: int = Field(
        3, ge=1, description="Confirmation mails one address may get a day (never two unanswered at once)"
    )
    intro_retention_days: float = Field(365, gt=0)
    dotless_domains: tuple[str, ...] = Field(
        (), description="Mail domains besides gmail.com/googlemail.com whose local parts ignore dots"
    )
    limit_signin_hour: int = Field(3, ge=1, description="Sign-in links one address may be sent per hour")
    limit_signin_ip_hour: int = Field(10, ge=1, description="Sign-in attempts per hour from one network")
    contact_email: str | None = Field(
        None,
        description="Who people write to about their data (the About page); empty: REPLY_TO, else SENDER",
    )

    language: str = Field(
        "en", description="The organisation's language: pages and mail for anyone who hasn't chosen their own"
    )

    @field_validator("language")
    @classmethod
    def _shipped(cls, value: str) -> str:
        if not is_shipped(value):
            raise ValueError(f"LANGUAGE must be one of {', '.join(SHIPPED)}")
        return value

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("BASE_URL must be an absolute http(s) URL")
        return value.rstrip("/")

    @field_validator("allowed_domains", "dotless_domains", mode="before")
    @classmethod
    def _split(cls, value):
        if isinstance(value, str):
            return tuple(d.strip().lower().lstrip("@") for d in value.split(",") if d.strip())
        return value

    @field_validator("accent_color")
    @classmethod
    def _colour(cls, value: str) -> str:
        if not (
            value.startswith("#")
            and len(value) in (4, 7)
            and all(c in "0123456789abcdefABCDEF" for c in value[1:])
        ):
            raise ValueError("ACCENT_COLOR must be a hex colour like #1f6f5c")
        return value

    @model_validator(mode="after")
    def _key_knows_the_domains(self) -> Settings:
        # Every caller hashes with `settings.hash_key`, so the domains reach every hash with it.
        object.__setattr__(self, "hash_key", HashKey(self.hash_key, self.dotless_domains))
        return self

    @property
    def contact(self) -> str:
        return self.contact_email or self.reply_to or self.sender

    @property
    def timings(self) -> Timings:
        return timings_of(self.__dict__)

    @property
    def limits(self) -> Limits:
        return limits_of(self.__dict__)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, read_secret: Callable[[str], str] | None = None
    ) -> Settings:
        """HASH_KEY is given directly (locally, in tests) or, deployed, read from the secret HASH_KEY_SECRET
        names, so that the key itself never sits in a function's configuration."""
        environ = os.environ if environ is None else environ
        values = {name: environ[env_var(name)] for name in cls.model_fields if env_var(name) in environ}
        if "hash_key" not in values and environ.get(HASH_KEY_SECRET) and read_secret is not None:
            values["hash_key"] = read_secret(environ[HASH_KEY_SECRET])
        return cls.model_validate(values)


# One mapping, template parameter -> environment variable -> settings field, for the functions, the
# local server and the admin CLI. A field's variable is its name in upper case; its parameter is its
# name in CamelCase unless named here (None: the stack's own resource or secret, not a parameter).
PARAMETER_OF: dict[str, str | None] = {
    "sender": "SenderAddress",
    "table_name": None,
    "config_set": None,
    "hash_key": None,
}
# Settings field -> the domain's Timings or Limits field it sets.
TIMINGS = {
    "reminder_days": "reminder_days",
    "expiry_days": "expiry_days",
    "unconfirmed_hours": "unconfirmed_hours",
    "followup_days": "followup_days",
    "content_retention_days": "retention_days",
    "intro_retention_days": "intro_retention_days",
}
LIMITS = {
    "limit_requester_open": "requester_open",
    "limit_requester_30d": "requester_per_30_days",
    "limit_connector_week": "connector_per_week",
    "connector_over_capacity": "connector_over_capacity",
    "limit_target_30d": "target_per_30_days",
    "block_after_decline_days": "block_after_decline_days",
    "limit_ip_hour": "requests_per_ip_per_hour",
}


def env_var(field: str) -> str:
    return field.upper()


def parameter_of(field: str) -> str | None:
    if field in PARAMETER_OF:
        return PARAMETER_OF[field]
    return "".join(part[:1].upper() + part[1:] for part in field.split("_"))


# Template parameter -> settings field, for every setting a parameter gives.
PARAMETERS: dict[str, str] = {p: f for f in Settings.model_fields if (p := parameter_of(f)) is not None}


def timings_of(values: Mapping[str, Any]) -> Timings:
    return Timings(**{to: values[name] for name, to in TIMINGS.items() if name in values})


def limits_of(values: Mapping[str, Any]) -> Limits:
    return Limits(**{to: values[name] for name, to in LIMITS.items() if name in values})


def from_parameters(parameters: Mapping[str, str]) -> dict[str, Any]:
    """Every setting a template parameter gives (by field name): the given parameters' values,
    validated as Settings validates them, and the settings' defaults for the rest (a setting with no
    default is left out unless given). For the admin CLI,
    which has a stack's parameters but no table, sender or key to build a whole Settings with."""
    shell = Settings.model_construct(hash_key="")
    for parameter, value in parameters.items():
        if parameter in PARAMETERS:
            Settings.__pydantic_validator__.validate_assignment(shell, PARAMETERS[parameter], value)
    return {name: shell.__dict__[name] for name in PARAMETERS.values() if name in shell.__dict__}
