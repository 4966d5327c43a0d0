"""Moved to local.samples, which the benchmark shares; this name stays only so that tests written
against it meanwhile keep working. Import from local.samples."""

from local.samples import EVENTS, load, with_token

__all__ = ["EVENTS", "load", "with_token"]
