"""Cards: what a user's public card shows, and rotating its token."""

import sqlalchemy as sa

from ..badges import CardData, card_to_vcard
from ..extensions import db
from ..models import User
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
    return card_to_vcard(
        public_card(user),
        uid=f"urn:eventmate:card:{user.card_token}",
        photo=user.photo if user.photo_version else None,
    )


def rotate_token(user: User) -> str:
    """A new token: the old QR code stops working at once (the caller commits)."""
    user.card_token = new_card_token()
    return user.card_token
