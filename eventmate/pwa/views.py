"""Serving the service worker, the manifest, the offline pages and versioned static files."""

import json

from flask import Blueprint, Response, current_app, render_template, send_from_directory, url_for
from flask_login import AnonymousUserMixin, current_user, login_required

from ..contacts.capture import blank_capture
from ..models.base import utcnow
from .routes import worker_routes
from .shell import project_root, shell_files, shell_version, static_url

bp = Blueprint("pwa", __name__)

THEME_COLOUR = "#0f766e"
BACKGROUND_COLOUR = "#f4f7f6"
YEAR = 365 * 24 * 3600
WORKER_ROUTES = """const ROUTES = {
  keptPages: [],
  cacheFirst: [],
  people: [],
  peoplePage: "",
  edit: [],
  editPage: "",
};"""


@bp.record_once
def version_static_urls(state) -> None:
    """In templates, `url_for('static', filename=…)` gives the file's versioned URL."""

    def url_for_versioned(endpoint: str, **values) -> str:
        if endpoint == "static" and values.keys() == {"filename"}:
            return static_url(values["filename"])
        return url_for(endpoint, **values)

    state.app.jinja_env.globals["url_for"] = url_for_versioned


@bp.app_template_global()
def offline_urls() -> list[str]:
    """Pages (and my card's QR) a logged-in phone keeps for offline use."""
    if not current_user.is_authenticated:
        return []
    return [
        url_for("home.index"),
        url_for("cards.my_card"),
        url_for("cards.qr_image_svg", token=current_user.card_token),
        url_for("pwa.offline_people"),
        url_for("inbox.index"),
        url_for("scanning.scan"),
        url_for("pwa.offline_capture"),
    ]


@bp.get("/static/v/<version>/<path:filename>")
def versioned_static(version: str, filename: str):
    """A static file: immutable under the current version; revalidated under any other."""
    if version != shell_version():
        return send_from_directory(current_app.static_folder, filename)
    response = send_from_directory(current_app.static_folder, filename, max_age=YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.get("/service-worker.js")
def service_worker():
    """The worker with this deploy's version and precache list written in.

    `no-cache`: the browser asks every time, so a deploy reaches phones on their next visit.
    """
    version = shell_version()
    shell = [url_for("pwa.offline"), *(static_url(name) for name in shell_files())]
    source = (project_root() / "service-worker.js").read_text(encoding="utf-8")
    for placeholder, value in (
        ('const VERSION = "dev";', f"const VERSION = {json.dumps(version)};"),
        ("const SHELL = [];", f"const SHELL = {json.dumps(shell)};"),
        (WORKER_ROUTES, f"const ROUTES = {json.dumps(worker_routes(current_app))};"),
    ):
        if placeholder not in source:
            raise LookupError(f"service-worker.js lost its placeholder {placeholder!r}")
        source = source.replace(placeholder, value, 1)
    source = source.replace("/static/v/dev/", f"/static/v/{version}/")
    response = Response(source, content_type="text/javascript; charset=utf-8")
    response.headers["Cache-Control"] = "no-cache"
    return response


def icon(size: int, purpose: str = "any") -> dict:
    name = f"icons/{'maskable' if purpose == 'maskable' else 'icon'}-{size}.png"
    return {
        "src": static_url(name),
        "sizes": f"{size}x{size}",
        "type": "image/png",
        "purpose": purpose,
    }


@bp.get("/manifest.webmanifest")
def manifest():
    body = {
        "id": "/",
        "name": "EventMate",
        "short_name": "EventMate",
        "description": "Meet, remember and follow up with the people you meet at events.",
        "lang": "en",
        "start_url": url_for("home.index"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [icon(192), icon(512), icon(512, "maskable")],
        "shortcuts": [
            {"name": "Scan", "url": url_for("scanning.scan"), "icons": [icon(192)]},
            {"name": "My card", "url": url_for("cards.my_card"), "icons": [icon(192)]},
        ],
    }
    response = Response(json.dumps(body), content_type="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline():
    """Shown for pages not kept on the phone. Precached for everyone, so it holds no user data:
    rendered as for a visitor, without a CSRF token, leaving flashed messages for the next page."""
    return render_template(
        "pwa/offline.html",
        current_user=AnonymousUserMixin(),
        get_flashed_messages=lambda **_: [],
    )


@bp.get("/offline/capture")
@login_required
def offline_capture():
    """Tags, notes and answers for a scan still waiting in the phone's outbox. The page reads
    the scan from IndexedDB (`?scan=<client id>`, or `?item=<id>` to fix a rejected note)."""
    return render_template(
        "pwa/capture.html", fix_payload=True, **blank_capture(current_user, utcnow())
    )


@bp.get("/offline/people")
@login_required
def offline_people():
    """People and each contact's page with no network, drawn from the phone's copy of the
    contacts (static/js/people-offline.js); kept per user like the other pages."""
    return render_template("pwa/people.html")
