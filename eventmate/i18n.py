"""Marks user-visible sentences written in Python for translation.

The interface is English only for now; `_` is where a later translation (Babel's message
catalogues: `pybabel extract` finds every `_("…")`) plugs in, so no caller needs rewriting.
"""


def _(message: str, /, **values) -> str:
    """The message in the user's language (English for now), with `%(name)s` values filled."""
    return message % values if values else message
