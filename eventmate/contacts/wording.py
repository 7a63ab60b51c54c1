"""Sentences about a contact that the page and the phone's offline copy both show, written once."""

from ..models import Contact, Meeting

# How each kind of meeting reads; `{who}` is the contact.
MEETING_SENTENCES = {
    "exchange": "You exchanged cards with {who}",
    "shared_back": "{name} shared their details with you",
    "follow_up": "You followed up with {who}",
    "meeting": "You met {who}",
    "call": "You called {who}",
    "message": "You messaged {who}",
}


def who(contact: Contact) -> str:
    """The contact in a sentence: "Someone to identify" is a heading, not a name."""
    return "this person" if contact.needs_identifying else contact.display_name


def meeting_sentence(contact: Contact, meeting: Meeting) -> str:
    """'You scanned Ada's badge at PyCon': when and where, without the date."""
    if meeting.kind in MEETING_SENTENCES:
        text = MEETING_SENTENCES[meeting.kind].format(who=who(contact), name=contact.display_name)
    elif contact.needs_identifying:
        text = "You scanned a code"
    else:
        text = f"You scanned {contact.display_name}'s badge"
    return f"{text} at {meeting.event_name}" if meeting.event_name else text


def headline(contact: Contact) -> str:
    """'Title · Company', or ''."""
    return " · ".join(part for part in (contact.title, contact.company) if part)


def about(contact: Contact) -> str:
    """The People list's first line under the name."""
    event = contact.event.name if contact.event else ""
    if contact.needs_identifying:
        parts = ("To identify", contact.raw_payload[:40], event)
    elif contact.needs_checking:
        parts = ("Card to check", contact.company, event)
    else:
        parts = (contact.title, contact.company, event)
    return " · ".join(part for part in parts if part)


def cue(contact: Contact) -> str:
    """What brings them back to mind in the People list: their tags, else the first thing they
    said (quoted, cut at 90 characters)."""
    if contact.tags:
        return " · ".join(tag.name for tag in contact.tags)
    said = next((answer.answer for answer in contact.answers if answer.answer), "")
    if len(said) > 90:
        said = said[:89].rstrip() + "…"
    return f"“{said}”" if said else ""
