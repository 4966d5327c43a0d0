"""The JSON API's request and response bodies (the boundary), validated with the domain's own rules."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from .domain.errors import InvalidInput
from .domain.validation import ABOUT_MAX, BLURB_MAX, check_email, check_line, check_name, check_text


def _checked(check, field: str, optional: bool = False) -> AfterValidator:
    """The domain's rule for `field` as a pydantic validator; optional fields may be empty."""

    def validate(value):
        if optional and not (value and value.strip()):
            return None
        try:
            return check(field, value)
        except InvalidInput as error:
            raise ValueError(str(error)) from None

    return AfterValidator(validate)


Name = Annotated[str, Field(max_length=200), _checked(check_name, "name")]
Email = Annotated[str, Field(max_length=254), _checked(check_email, "email")]


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name = Field(examples=["Ada Lovelace"])
    email: Email = Field(examples=["ada@example.org"])


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name = Field(examples=["Alan Turing"])
    email: Annotated[str | None, _checked(check_email, "email", optional=True)] = Field(
        default=None, max_length=254, examples=["alan@example.net"]
    )
    about: Annotated[str | None, _checked(check_line, "about", optional=True)] = Field(
        default=None, max_length=ABOUT_MAX, examples=["runs the Bletchley reading group"]
    )


class IntroRequest(BaseModel):
    """A request for a warm introduction."""

    model_config = ConfigDict(extra="forbid")
    requester: PersonIn
    connector_email: Email = Field(examples=["grace@example.org"])
    target: TargetIn
    blurb: str = Field(
        max_length=BLURB_MAX * 2,
        description=f"Who you are, why you'd like to meet, and one ask (at most {BLURB_MAX} characters).",
        examples=["Who I am, why I'd like to meet Alan, and my one ask."],
    )

    @field_validator("blurb")
    @classmethod
    def _blurb(cls, v: str) -> str:
        try:
            text = check_text("blurb", v, BLURB_MAX)
        except InvalidInput as error:
            raise ValueError(str(error)) from None
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
