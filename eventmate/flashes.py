"""Messages flashed by more than one part of the app."""

from flask import flash


def not_saved() -> None:
    """A refused form comes back at the top of its page, and the field marked wrong may be a
    screen or two further down: say so where the eye lands."""
    flash("Not saved yet: check what's marked below.", "error")
