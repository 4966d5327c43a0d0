"""The JSON API's request and response bodies (the boundary), validated with the domain's own rules."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .domain.errors import InvalidInput
from .domain.validation import ABOUT_MAX, BLURB_MAX, check_email, check_name, check_text


def _rule(check, *args):
    try:
        return check(*args)
    except InvalidInput as error:
        raise ValueError(str(error)) from None


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200, examples=["Ada Lovelace"])
    email: str = Field(max_length=254, examples=["ada@example.org"])

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _rule(check_name, "name", v)

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        return _rule(check_email, "email", v)


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200, examples=["Alan Turing"])
    email: str | None = Field(default=None, max_length=254, examples=["alan@example.net"])
    about: str | None = Field(default=None, max_length=ABOUT_MAX, examples=["runs the Bletchley reading group"])

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _rule(check_name, "name", v)

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        return _rule(check_email, "email", v) if v else None

    @field_validator("about")
    @classmethod
    def _about(cls, v: str | None) -> str | None:
        return _rule(check_name, "about", v) if v and v.strip() else None


class IntroRequest(BaseModel):
    """A request for a warm introduction."""

    model_config = ConfigDict(extra="forbid")
    requester: PersonIn
    connector_email: str = Field(max_length=254, examples=["grace@example.org"])
    target: TargetIn
    blurb: str = Field(
        max_length=BLURB_MAX * 2,
        description=f"Who you are, why you'd like to meet, and one ask (at most {BLURB_MAX} characters).",
        examples=["Who I am, why I'd like to meet Alan, and my one ask."],
    )

    @field_validator("connector_email")
    @classmethod
    def _connector(cls, v: str) -> str:
        return _rule(check_email, "connector_email", v)

    @field_validator("blurb")
    @classmethod
    def _blurb(cls, v: str) -> str:
        text = _rule(check_text, "blurb", v, BLURB_MAX)
        if not text or len(text) < 20:
            raise ValueError("Please write a few sentences: who you are, why, and your one ask.")
        return text


class Accepted(BaseModel):
    status: str = Field(examples=["received"])
    message: str


class Problem(BaseModel):
    """An error a person can act on."""

    message: str
    errors: list[dict] = Field(default_factory=list, description="One entry per field: {field, message}")
