"""Setting, removing and linking to the photos on users' cards and on contacts."""

from flask import url_for

from ..models import Contact, User
from ..models.base import HasPhoto
from .images import Photo


def set_photo(owner: HasPhoto, photo: Photo) -> None:
    """Replace the photo (the caller commits); its URLs change with it."""
    owner.photo = photo.jpeg
    owner.photo_version = photo.version


def remove_photo(owner: HasPhoto) -> None:
    owner.photo = None
    owner.photo_version = None


def contact_photo_url(contact: Contact) -> str | None:
    """Where the owner's browser gets the contact's photo (private to them); None without one."""
    if not contact.photo_version:
        return None
    return url_for("photos.contact_photo", contact_id=contact.id, version=contact.photo_version)


def card_photo_url(user: User) -> str | None:
    """The public address of the photo on the user's card: it holds the card's token, so making
    a new QR code ends this address too."""
    if not user.photo_version:
        return None
    return url_for("cards.photo", token=user.card_token, version=user.photo_version)
