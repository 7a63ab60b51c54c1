"""Uploading and removing photos from forms, and serving a contact's photo to its owner.

A form that sends a file the app can't use gets its page back with the sentence at the top
(a flash), after a redirect: nothing else was in that form, so nothing typed is lost. The
card's public photo is served by cards/views.py, next to the QR code.
"""

from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from ..contacts.service import get_own
from ..extensions import db
from ..models import Contact
from .images import PhotoError
from .service import card_photo_url, contact_photo_url, remove_photo, set_photo
from .uploads import takes_photo, uploaded_photo

bp = Blueprint("photos", __name__)
PRIVATE_CACHE = "private, max-age=31536000, immutable"  # the URL changes with the photo
bp.add_app_template_global(contact_photo_url)
bp.add_app_template_global(card_photo_url)


def jpeg_response(jpeg: bytes, cache: str) -> Response:
    response = Response(jpeg, mimetype="image/jpeg")
    response.headers["Cache-Control"] = cache
    return response


def upload_into(owner, back_to: str, saved: str):
    """Set `owner`'s photo from the form; back to the page with a flash either way."""
    try:
        set_photo(owner, uploaded_photo())
    except PhotoError as refused:
        flash(refused.message, "error")
        return redirect(back_to, 303)
    db.session.commit()
    flash(saved, "success")
    return redirect(back_to, 303)


@bp.get("/contacts/<int:contact_id>/photo/<version>.jpg")
@login_required
def contact_photo(contact_id: int, version: str):
    """Only the owner's; another user's contact, no photo or a replaced one: 404."""
    contact = get_own(Contact, contact_id)
    if contact.photo_version is None or version != contact.photo_version:
        abort(404)
    return jpeg_response(contact.photo, PRIVATE_CACHE)


@bp.post("/contacts/<int:contact_id>/photo")
@takes_photo
@login_required
def upload_contact_photo(contact_id: int):
    contact = get_own(Contact, contact_id)
    page = url_for("contacts.edit", contact_id=contact.id)  # the form the photo was chosen on
    return upload_into(contact, page, f"Saved the photo of {contact.display_name}.")


@bp.post("/contacts/<int:contact_id>/photo/delete")
@login_required
def remove_contact_photo(contact_id: int):
    contact = get_own(Contact, contact_id)
    remove_photo(contact)
    db.session.commit()
    flash(f"Removed the photo of {contact.display_name}.", "info")
    return redirect(url_for("contacts.edit", contact_id=contact.id), 303)


@bp.post("/account/photo")
@takes_photo
@login_required
def upload_my_photo():
    page = url_for("account.profile", _anchor="photo")
    return upload_into(current_user, page, "Your card shows your new photo.")


@bp.post("/account/photo/delete")
@login_required
def remove_my_photo():
    remove_photo(current_user)
    db.session.commit()
    flash("Removed the photo from your card.", "info")
    return redirect(url_for("account.profile", _anchor="photo"), 303)
