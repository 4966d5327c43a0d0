"""The domain's words a person reads (a form's field messages, the note coach's hints) are marked with
`N_` for the catalogs and kept in English with their parameters apart; the views translate them into
the reader's language (views.catalogs), so the domain stays free of any language."""

from __future__ import annotations


def N_(message: str) -> str:  # gettext's own name for this, which extraction looks for
    return message


def ngettext(singular: str, plural: str, n: int) -> tuple[str, str, int]:
    """Marks a message with a plural for extraction (gettext's own name for it); the view chooses the
    form for `n` in the reader's language."""
    return singular, plural, n
