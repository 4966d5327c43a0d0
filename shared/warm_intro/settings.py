"""The organisation's configuration: read from the environment once, validated, then immutable.

A stdlib dataclass, not a pydantic model: every function reads its settings on its first request, and
pydantic's import was the largest one after boto3 on a cold start of the pages behind email links
(docs/benchmark.md). Values arrive as strings from the environment and are converted by each field's
type (int, float, bool, str | None, a Literal, a StrEnum, a tuple of names); `Field` declares the bounds."""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any, Literal

from .domain.hashing import HashKey
from .domain.languages import SHIPPED, is_shipped
from .domain.rules import Limits, OverCapacity, Timings

# Deployed, the functions get the name (ARN) of the hash key's secret, never the key.
HASH_KEY_SECRET = "HASH_KEY_SECRET"

TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


class InvalidSettings(ValueError):
    """Every setting that is wrong, each named by its field, in one message."""


def Field(
    default: Any = dataclasses.MISSING,
    *,
    gt: float | None = None,
    ge: float | None = None,
    min_length: int | None = None,
    description: str = "",
    repr: bool = True,
) -> Any:
    """A setting with bounds: gt/ge for numbers, min_length for strings (`repr=False`: a secret's value)."""
    bounds = {"gt": gt, "ge": ge, "min_length": min_length, "description": description}
    return dataclasses.field(default=default, metadata=bounds, repr=repr)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    table_name: str
    base_url: str = Field(
        "",
        description="Where links in emails point; never taken from a request's Host. Empty: pages link relatively.",
    )
    org_name: str = "Our community"
    sender: str = Field(description="The SES identity mail is sent from, e.g. intros@example.org")
    reply_to: str | None = None
    config_set: str | None = None
    # A HashKey when read; deployed, read from its secret on first use (see KeyOnFirstUse below).
    hash_key: str = Field(
        min_length=16, description="Secret for keyed hashes of opted-out addresses", repr=False
    )
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
    limit_connector_week: int = Field(2, ge=1)
    connector_over_capacity: OverCapacity = OverCapacity.WAIT
    limit_target_30d: int = Field(3, ge=1)
    block_after_decline_days: int = Field(180, ge=0)
    limit_ip_hour: int = Field(20, ge=1)
    content_retention_days: float = Field(30, gt=0)
    limit_confirm_day: int = Field(
        3, ge=1, description="Confirmation mails one address may get a day (never two unanswered at once)"
    )
    intro_retention_days: float = Field(365, gt=0)
    remind_targets: bool = Field(False, description="Whether a target who hasn't answered gets one reminder")
    connector_policy: Literal["agreed", "any"] = Field(
        "agreed", description="Who may be named as connector: members who agreed to be asked, or any member"
    )
    dotless_domains: tuple[str, ...] = Field(
        (), description="Mail domains besides gmail.com/googlemail.com whose local parts ignore dots"
    )
    contact_email: str | None = Field(
        None,
        description="Who people write to about their data (the About page); empty: REPLY_TO, else SENDER",
    )
    limit_signin_hour: int = Field(3, ge=1, description="Sign-in links one address may be sent per hour")
    limit_signin_ip_hour: int = Field(10, ge=1, description="Sign-in attempts per hour from one network")
    language: str = Field(
        "en", description="The organisation's language: pages and mail for anyone who hasn't chosen their own"
    )

    def __post_init__(self) -> None:
        errors = []
        for f in dataclasses.fields(self):
            if isinstance(self.__dict__[f.name], SecretValue):
                continue  # checked when it is read
            try:
                object.__setattr__(self, f.name, _valid(f, self.__dict__[f.name]))
            except (TypeError, ValueError) as error:
                errors.append(f"{f.name}: {error}")
        if errors:
            raise InvalidSettings("; ".join(errors))
        if not isinstance(key := self.__dict__["hash_key"], SecretValue):
            object.__setattr__(self, "hash_key", HashKey(key, self.dotless_domains))

    @staticmethod
    def _split(value: str | tuple[str, ...]) -> tuple[str, ...]:
        """A comma-separated list of mail domains, as a parameter gives it: trimmed, lower case, no '@'."""
        if isinstance(value, str):
            return tuple(d.strip().lower().lstrip("@") for d in value.split(",") if d.strip())
        return tuple(value)

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
    def names(cls) -> tuple[str, ...]:
        """Every setting's field name; its environment variable is the name in upper case."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def default(cls, name: str) -> Any:
        return {f.name: f.default for f in dataclasses.fields(cls)}[name]

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, read_secret: Callable[[str], str] | None = None
    ) -> Settings:
        """HASH_KEY is given directly (locally, in tests) or, deployed, read from the secret HASH_KEY_SECRET
        names, so that the key itself never sits in a function's configuration: read when the key is
        first used, since many first requests (a link's page view) never hash an address."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {
            name: environ[env_var(name)] for name in cls.names() if env_var(name) in environ
        }
        if "hash_key" not in values and environ.get(HASH_KEY_SECRET) and read_secret is not None:
            values["hash_key"] = SecretValue(environ[HASH_KEY_SECRET], read_secret)
        missing = [f.name for f in dataclasses.fields(cls) if _required(f) and f.name not in values]
        if missing:
            raise InvalidSettings("; ".join(f"{name}: required ({env_var(name)})" for name in missing))
        return cls(**values)


class SecretValue:
    """A setting's value kept in a secret (`name`), not yet read."""

    def __init__(self, name: str, read: Callable[[str], str]):
        self.name, self.read = name, read

    def __repr__(self) -> str:
        return f"SecretValue({self.name!r})"


class KeyOnFirstUse:
    """`Settings.hash_key`: a HashKey carrying the organisation's dot-insensitive domains (every caller
    hashes with it, so the domains reach every hash). Given a SecretValue, the secret is read, checked as
    the field's type and bounds, and kept on the first access: once per settings object, so once per
    process (runtime.settings is cached), and never by a request that hashes no address."""

    def __get__(self, settings: Settings | None, owner: type | None = None) -> Any:
        if settings is None:
            return self
        value = settings.__dict__["hash_key"]
        if isinstance(value, SecretValue):
            try:
                checked = _valid(_field("hash_key"), value.read(value.name))
            except (TypeError, ValueError) as error:
                raise InvalidSettings(f"hash_key: {error}") from error
            value = settings.__dict__["hash_key"] = HashKey(checked, settings.dotless_domains)
        return value

    def __set__(self, settings: Settings, value: Any) -> None:
        settings.__dict__["hash_key"] = value  # the dataclass's __init__ sets it; a frozen one, only then


# Installed after the dataclass is made, so that hash_key stays an ordinary field to it (required, with
# its bounds, in __init__, eq and names()); its value is set and read through this.
setattr(Settings, "hash_key", KeyOnFirstUse())  # noqa: B010


@cache
def _field(name: str) -> dataclasses.Field[Any]:
    return next(f for f in dataclasses.fields(Settings) if f.name == name)


def _valid(f: dataclasses.Field[Any], value: Any) -> Any:
    """A field's value as its type, within its bounds and rules."""
    return _checked(f, _converted(_types()[f.name], value))


@cache
def _types() -> dict[str, Any]:
    return typing.get_type_hints(Settings)


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _converted(kind: Any, value: Any) -> Any:
    """An environment string (or a value given in code) as the field's type."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):  # `str | None`: None stays None
        return None if value is None else _converted(next(a for a in args if a is not type(None)), value)
    if origin is Literal:
        if value not in args:
            raise ValueError(f"must be one of {', '.join(map(str, args))}, not {value!r}")
        return value
    if origin is tuple:
        return Settings._split(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if kind is bool:
        if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
            return value.strip().lower() in TRUE
        if isinstance(value, bool):
            return value
        raise ValueError(f"must be true or false, not {value!r}")
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise TypeError(f"must be a whole number, not {value!r}")
        return int(value)
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(f"must be a number, not {value!r}")
        return float(value)
    if kind is str and not isinstance(value, str):
        raise TypeError(f"must be text, not {value!r}")
    return value


def _checked(f: dataclasses.Field[Any], value: Any) -> Any:
    bounds = f.metadata
    if bounds.get("gt") is not None and not value > bounds["gt"]:
        raise ValueError(f"must be greater than {bounds['gt']}")
    if bounds.get("ge") is not None and not value >= bounds["ge"]:
        raise ValueError(f"must be at least {bounds['ge']}")
    if bounds.get("min_length") is not None and len(value) < bounds["min_length"]:
        raise ValueError(f"must be at least {bounds['min_length']} characters")
    return RULES[f.name](value) if f.name in RULES else value


def _base_url(value: str) -> str:
    if value and not value.startswith(("https://", "http://")):
        raise ValueError("BASE_URL must be an absolute http(s) URL")
    return value.rstrip("/")


def _colour(value: str) -> str:
    if not (
        value.startswith("#")
        and len(value) in (4, 7)
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    ):
        raise ValueError("ACCENT_COLOR must be a hex colour like #1f6f5c")
    return value


def _language(value: str) -> str:
    if not is_shipped(value):
        raise ValueError(f"LANGUAGE must be one of {', '.join(SHIPPED)}")
    return value


# Rules beyond a field's type and bounds, by field.
RULES: dict[str, Callable[[Any], Any]] = {
    "base_url": _base_url,
    "accent_color": _colour,
    "language": _language,
}


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
    "remind_targets": "remind_targets",
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
PARAMETERS: dict[str, str] = {p: f for f in Settings.names() if (p := parameter_of(f)) is not None}


def timings_of(values: Mapping[str, Any]) -> Timings:
    return Timings(**{to: values[name] for name, to in TIMINGS.items() if name in values})


def limits_of(values: Mapping[str, Any]) -> Limits:
    return Limits(**{to: values[name] for name, to in LIMITS.items() if name in values})


def from_parameters(parameters: Mapping[str, str]) -> dict[str, Any]:
    """Every setting a template parameter gives (by field name): the given parameters' values,
    validated as Settings validates them, and the settings' defaults for the rest (a setting with no
    default is left out unless given). For the admin CLI,
    which has a stack's parameters but no table, sender or key to build a whole Settings with."""
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    values = {
        name: _valid(fields[name], fields[name].default)
        for name in PARAMETERS.values()
        if not _required(fields[name])
    }
    errors = []
    for parameter, value in parameters.items():
        if parameter in PARAMETERS:
            name = PARAMETERS[parameter]
            try:
                values[name] = _valid(fields[name], value)
            except (TypeError, ValueError) as error:
                errors.append(f"{name}: {error}")
    if errors:
        raise InvalidSettings("; ".join(errors))
    return values
