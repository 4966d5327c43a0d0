"""An organisation's timings and limits, as plain values the domain reasons with."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DAY = 86_400
HOUR = 3_600
LEASE_SECONDS = 300  # a claimed message not confirmed sent by then may or may not have gone out


class OverCapacity(StrEnum):
    WAIT = "wait"  # the connector's ask waits until their week has room
    REFUSE = "refuse"  # the request closes neutrally


@dataclass(frozen=True)
class Timings:
    reminder_days: float = 4
    expiry_days: float = 10
    unconfirmed_hours: float = 24
    followup_days: float = 7
    link_days: float = 60  # links outlive the request so late clicks still see what happened
    retention_days: float = 30  # blurb and notes are forgotten this long after the introduction closed
    retry_minutes: float = 15  # a message SES refused is tried again after this
    intro_retention_days: float = 365  # a closed introduction keeps names and addresses this long
    remind_targets: bool = False  # a target's ask says silence is fine: reminded only if the org asks

    @property
    def reminder(self) -> int:
        return int(self.reminder_days * DAY)

    @property
    def expiry(self) -> int:
        return int(self.expiry_days * DAY)

    @property
    def unconfirmed(self) -> int:
        return int(self.unconfirmed_hours * HOUR)

    @property
    def followup(self) -> int:
        return int(self.followup_days * DAY)

    @property
    def link(self) -> int:
        return int(self.link_days * DAY)

    @property
    def retention(self) -> int:
        return int(self.retention_days * DAY)

    @property
    def retry(self) -> int:
        return int(self.retry_minutes * 60)

    @property
    def intro_retention(self) -> int:
        return int(self.intro_retention_days * DAY)


@dataclass(frozen=True)
class Limits:
    requester_open: int = 3
    requester_per_30_days: int = 10
    connector_per_week: int = 2  # 5 a week is about twice the monthly load that burns connectors out
    connector_over_capacity: OverCapacity = OverCapacity.WAIT
    target_per_30_days: int = 3
    block_after_decline_days: int = 180
    requests_per_ip_per_hour: int = 20
