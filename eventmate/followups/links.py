"""Links into the inbox, for the pages that send the user to a drafted message."""

from flask import url_for


def inbox_link(follow_up_id: int) -> str:
    """The inbox with this follow-up's draft open and in view."""
    return url_for("inbox.index", open=follow_up_id, _anchor=f"follow-up-{follow_up_id}")
