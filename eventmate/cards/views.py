"""My card, its QR code, and the public card page someone sees after scanning it."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BaseConverter

from ..downloads import vcard_download
from ..errors import reshows_expired_form
from ..events.service import running_event
from ..extensions import db, limiter
from ..models.base import utcnow
from ..scanning.exchange import ExchangeError, exchange_cards
from ..shared_details.service import receive
from . import service
from .forms import ShareBackForm
from .links import card_url
from .qr import qr_png, qr_svg

bp = Blueprint("cards", __name__)
QR_CACHE = "public, max-age=604800, immutable"  # the URL changes with the token
# Private: a shared cache would keep the photo after a new QR code ended its address.
PHOTO_CACHE = "private, max-age=604800, immutable"  # the URL changes with token and photo


class CardTokenConverter(BaseConverter):
    regex = r"[A-Za-z0-9_-]{16,64}"


@bp.record_once
def register_converter(state):
    state.app.url_map.converters["card_token"] = CardTokenConverter


def card_owner_or_gone(token: str):
    owner = service.user_by_token(token)
    if owner is None:
        abort(Response(render_template("cards/invalid.html"), status=410))
    return owner


@bp.get("/card")
@login_required
def my_card():
    return render_template("cards/my_card.html", url=card_url(current_user.card_token))


@bp.post("/card/rotate")
@login_required
def rotate():
    service.rotate_token(current_user)
    db.session.commit()
    flash("You have a new QR code. The old one no longer works.", "success")
    return redirect(url_for("cards.my_card"))


@bp.get("/c/<card_token:token>/qr.svg")
def qr_image_svg(token: str):
    card_owner_or_gone(token)
    response = Response(qr_svg(card_url(token)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = QR_CACHE
    return response


@bp.get("/c/<card_token:token>/qr.png")
def qr_image_png(token: str):
    card_owner_or_gone(token)
    response = Response(qr_png(card_url(token)), mimetype="image/png")
    response.headers["Cache-Control"] = QR_CACHE
    return response


@bp.get("/c/<card_token:token>/photo-<version>.jpg")
def photo(token: str, version: str):
    """The photo on the card, for whoever has the card's link; gone with a new QR code."""
    owner = card_owner_or_gone(token)
    if owner.photo_version is None or version != owner.photo_version:
        abort(404)
    response = Response(owner.photo, mimetype="image/jpeg")
    response.headers["Cache-Control"] = PHOTO_CACHE
    return response


def render_public_card(owner, token: str, form: ShareBackForm, status: int = 200):
    is_self = current_user.is_authenticated and current_user.id == owner.id
    page = render_template(
        "cards/public.html",
        owner=owner,
        token=token,
        fields=owner.public_fields(),
        form=form,
        is_self=is_self,
    )
    return page, status


@bp.get("/c/<card_token:token>")
def public_card(token: str):
    return render_public_card(card_owner_or_gone(token), token, ShareBackForm())


@bp.get("/c/<card_token:token>.vcf")
def public_vcard(token: str):
    owner = card_owner_or_gone(token)
    return vcard_download(service.card_vcard(owner), owner.display_name)


@bp.post("/c/<card_token:token>/share")
@reshows_expired_form
@limiter.limit("10 per hour")
def share_back(token: str):
    owner = card_owner_or_gone(token)
    form = ShareBackForm()
    if not form.validate_on_submit():
        return render_public_card(owner, token, form, status=422)
    receive(
        owner,
        name=form.name.data,
        email=form.email.data,
        phone=form.phone.data or "",
        company=form.company.data or "",
        url=form.link.data or "",
        note=form.note.data or "",
        now=utcnow(),
    )
    db.session.commit()
    return render_template("cards/shared.html", owner=owner, token=token)


@bp.post("/c/<card_token:token>/exchange")
@login_required
def exchange(token: str):
    owner = card_owner_or_gone(token)
    now = utcnow()
    try:
        contact = exchange_cards(
            current_user, owner, met_at=now, event=running_event(current_user, now)
        )
    except ExchangeError as error:
        flash(str(error), "error")
        return redirect(url_for("cards.public_card", token=token))
    db.session.commit()
    flash(f"You exchanged cards with {owner.display_name}.", "success")
    return redirect(url_for("contacts.edit", contact_id=contact.id, scanned=1))
