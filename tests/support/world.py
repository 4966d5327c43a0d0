"""Moved to local.world, which the benchmark shares; this name stays only so that tests written
against it meanwhile keep working. Import from local.world."""

from local.world import LINK, MEMBERS, REQUEST, START, World

__all__ = ["LINK", "MEMBERS", "REQUEST", "START", "World"]
