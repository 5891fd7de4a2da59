"""Echoing user input in messages: one line, and never longer than a reader can take in.

Error messages quote what the user typed (a place name, a spec, a path) so they can see what
went wrong; a pasted 100 KB article must not come back as a 100 KB error line.
"""

from __future__ import annotations

__all__ = ["MAX_QUOTED_CHARS", "one_line", "quoted"]

# Long enough for any real place name, path or spec; longer input is cut in the middle of
# nothing a reader needs.
MAX_QUOTED_CHARS = 80
# Whole messages (the CLI's last line of defence): a few lines' worth of text.
_MAX_MESSAGE_CHARS = 1000
_MAX_WORD_CHARS = 120


def quoted(value: object, limit: int = MAX_QUOTED_CHARS) -> str:
    """``repr``-style quote of ``value`` on one line, cut to ``limit`` characters.

    >>> quoted("Baghdad")
    "'Baghdad'"
    >>> quoted("Q" * 1000, limit=10)
    "'QQQQQQQQQQ…' (1,000 characters)"
    """
    text = value if isinstance(value, str) else str(value)
    flat = " ".join(text.split()) if "\n" in text or "\r" in text else text
    if len(flat) <= limit:
        return repr(flat)
    return f"{flat[:limit] + '…'!r} ({len(text):,} characters)"


def one_line(message: str) -> str:
    """A message folded onto one line, with overlong words and tails cut.

    The CLI passes every error through this, so even a message that embeds a whole input
    prints as one readable line.
    """
    words = [
        w if len(w) <= _MAX_WORD_CHARS else f"{w[:_MAX_WORD_CHARS]}…({len(w):,} characters)"
        for w in message.split()
    ]
    text = " ".join(words)
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[:_MAX_MESSAGE_CHARS] + f"… (message cut at {_MAX_MESSAGE_CHARS} characters)"
    return text
