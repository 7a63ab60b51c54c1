"""Cards: what a user's public card shows, rotating its token, sharing details back."""

import sqlalchemy as sa

from ..badges import CardData, card_to_vcard
from ..contacts.service import card_contact, record_meeting
from ..events.service import running_event
from ..extensions import db
from ..models import Contact, User
from ..models.base import utcnow
from ..models.user import new_card_token


def user_by_token(token: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.card_token == token))


def public_card(user: User) -> CardData:
    public = user.public_fields()
    return CardData(
        full_name=user.display_name,
        title=public.get("headline", ""),
        emails=[public["email"]] if "email" in public else [],
        phones=[public["phone"]] if "phone" in public else [],
        urls=[public["website"]] if "website" in public else [],
        note=public.get("bio", ""),
    )


def card_vcard(user: User) -> str:
    return card_to_vcard(public_card(user), uid=f"urn:eventmate:card:{user.card_token}")


def rotate_token(user: User) -> str:
    """A new token: the old QR code stops working at once (the caller commits)."""
    user.card_token = new_card_token()
    return user.card_token


def share_back(owner: User, *, name: str, email: str, note: str) -> Contact:
    """A visitor without the app left their details on the owner's card (the caller commits)."""
    card = CardData(full_name=name.strip(), emails=[email.strip()], note=note.strip())
    contact, created = card_contact(owner, card, raw="", source="shared_back")
    if not created and note.strip():
        contact.notes = "\n\n".join(filter(None, [contact.notes, note.strip()]))[:5000]
    now = utcnow()
    event = running_event(owner, now)
    event_id = event.id if event else None
    record_meeting(contact, kind="shared_back", met_at=now, event=event, event_id=event_id)
    return contact
