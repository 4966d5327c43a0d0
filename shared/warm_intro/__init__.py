"""Warm introductions: the shared layer (domain, adapters, views) used by every function."""
