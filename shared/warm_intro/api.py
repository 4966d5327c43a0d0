"""The JSON API's request and response bodies (the boundary), validated with the domain's own rules;
the schema's limits are the validators' own constants, so the document and the checks can't drift."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .domain.errors import InvalidInput
from .domain.languages import SHIPPED
from .domain.validation import (
    ABOUT_MAX,
    BLURB_MAX,
    BLURB_MIN,
    EMAIL_MAX,
    NAME_MAX,
    check_email,
    check_line,
    check_name,
    check_text,
    normalise_email,
)


def _checked(check: Callable[..., str], field: str, optional: bool = False, **limits: int) -> AfterValidator:
    """The domain's rule for `field` as a pydantic validator; optional fields may be empty."""

    def validate(value: str | None) -> str | None:
        if optional and not (value and value.strip()):
            return None
        try:
            return check(field, value, **limits)
        except InvalidInput as error:
            raise ValueError(str(error)) from None

    return AfterValidator(validate)


Name = Annotated[str, Field(max_length=NAME_MAX), _checked(check_name, "name")]
Email = Annotated[str, Field(max_length=EMAIL_MAX), _checked(check_email, "email")]


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name = Field(examples=["Ada Lovelace"])
    email: Email = Field(examples=["ada@example.org"])


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name = Field(examples=["Alan Turing"])
    email: Annotated[str | None, _checked(check_email, "email", optional=True)] = Field(
        default=None, max_length=EMAIL_MAX, examples=["alan@example.net"]
    )
    about: Annotated[str | None, _checked(check_line, "about", optional=True, limit=ABOUT_MAX)] = Field(
        default=None, max_length=ABOUT_MAX, examples=["runs the Bletchley reading group"]
    )


# Each shipped language's code: an enum in the OpenAPI document; a plain string to the type checker,
# which cannot read a Literal built from a dict.
if TYPE_CHECKING:
    Language = str
else:
    Language = Literal[tuple(SHIPPED)]


class IntroRequest(BaseModel):
    """A request for a warm introduction."""

    model_config = ConfigDict(extra="forbid")
    requester: PersonIn
    connector_email: Email = Field(examples=["grace@example.org"])
    target: TargetIn
    acquaintance: Annotated[
        str | None, _checked(check_line, "acquaintance", optional=True, limit=ABOUT_MAX)
    ] = Field(
        default=None,
        max_length=ABOUT_MAX,
        description="How you know the connector, in one line. Shown only to the connector.",
        examples=["Grace supervised my final-year project"],
    )
    language: Language | None = Field(
        default=None,
        description="The language the requester reads (their mail is written in it); "
        "absent: the organisation's.",
        examples=["de"],
    )
    blurb: str = Field(
        min_length=BLURB_MIN,
        max_length=BLURB_MAX,
        description=f"Who you are, why you'd like to meet, and one ask: {BLURB_MIN} to {BLURB_MAX} characters, "
        "not counting spaces and line breaks at either end.",
        examples=["Who I am, why I'd like to meet Alan, and my one ask."],
    )

    @field_validator("blurb")
    @classmethod
    def _blurb(cls, v: str) -> str:
        try:
            text = check_text("blurb", v, BLURB_MAX)
        except InvalidInput as error:
            raise ValueError(str(error)) from None
        if not text or len(text) < BLURB_MIN:
            raise ValueError("Please write a few sentences: who you are, why, and your one ask.")
        return text


class Accepted(BaseModel):
    status: str = Field(examples=["received"])
    message: str


class FieldProblem(BaseModel):
    field: str = Field(
        description="The field, as a dotted path into the body (e.g. target.about), or 'body'.",
        examples=["target.about"],
    )
    message: str = Field(examples=[f"String should have at most {ABOUT_MAX} characters"])


class Problem(BaseModel):
    """An error a person can act on."""

    message: str
    errors: list[FieldProblem] = Field(
        default_factory=list, description="One entry per field that needs attention"
    )


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"model": Problem}}}


# Every refusal the JSON API answers, each with a Problem body (web.problem builds them).
PROBLEMS = {
    400: _problem("The body can't be read: not valid JSON, not UTF-8, nested too deeply, or bad base64"),
    403: _problem(
        "Sent from another web site's page: use the form on this site, or call the API from a program"
    ),
    413: _problem("The body is too large"),
    415: _problem("The body is not sent as application/json"),
    422: _problem("Some fields are not valid; `errors` names each one"),
    429: _problem("Too many requests from this address"),
}


class ProposedPerson(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name = Field(examples=["Alan Turing"])
    email: Email = Field(examples=["alan@example.net"])
    about: Annotated[str | None, _checked(check_line, "about", optional=True, limit=ABOUT_MAX)] = Field(
        default=None,
        max_length=ABOUT_MAX,
        description="What they do, in a few words",
        examples=["codebreaker"],
    )


class ProposalRequest(BaseModel):
    """A member's proposal that two people should meet ("you two should meet")."""

    model_config = ConfigDict(extra="forbid")
    connector: PersonIn = Field(description="You, the member proposing it; we email you a link to confirm.")
    people: tuple[ProposedPerson, ProposedPerson] = Field(
        description="The two people, each asked privately; the second is asked only after the first says yes."
    )
    ask_first: int = Field(
        default=1,
        ge=0,
        le=1,
        description="Which of `people` is asked first (0 or 1); by default the person named second.",
    )
    note: str = Field(
        min_length=BLURB_MIN,
        max_length=BLURB_MAX,
        description=f"Why they should meet, as each of them will read it: {BLURB_MIN} to {BLURB_MAX} characters.",
        examples=["Ada is starting a reading group in London; Alan has run one at Bletchley for years."],
    )

    @field_validator("note")
    @classmethod
    def _note(cls, v: str) -> str:
        try:
            text = check_text("note", v, BLURB_MAX)
        except InvalidInput as error:
            raise ValueError(str(error)) from None
        if not text or len(text) < BLURB_MIN:
            raise ValueError("Please write a few sentences: why these two should meet.")
        return text

    @model_validator(mode="after")
    def _three_people(self) -> ProposalRequest:
        addresses = [normalise_email(p.email) for p in (self.connector, *self.people)]
        if len(set(addresses)) < 3:
            raise ValueError("Please give two other people, each with their own address.")
        return self

    @property
    def asked_first(self) -> ProposedPerson:
        return self.people[self.ask_first]

    @property
    def asked_second(self) -> ProposedPerson:
        return self.people[1 - self.ask_first]
