"""Reading a photo out of a request: the one place where the body may be larger than usual.

Every other request keeps `MAX_CONTENT_LENGTH` (256 KB). A view marked `@takes_photo` accepts
a camera's full-size file; the limit is raised before any other request hook runs, because
the edge check (edge.py) reads the form, and so the body, first.
"""

from flask import Flask, request

from .images import MAX_UPLOAD_BYTES, Photo, PhotoError, read_capped, reencode

FIELD = "photo"  # the form field of the file, in every form and in POST /api/photos
FORM_ROOM = 64 * 1024  # the other fields of the form (a CSRF token, ids) and multipart framing


def takes_photo(view):
    view.takes_photo = True
    return view


def uploaded_bytes() -> bytes:
    """The request's photo file as sent; PhotoError (400 or 413) with a sentence."""
    upload = request.files.get(FIELD)
    if upload is None or not upload.filename:
        raise PhotoError("Choose a photo first.", 400)
    return read_capped(upload.stream)


def uploaded_photo() -> Photo:
    """The request's photo, re-encoded; PhotoError (400, 413 or 415) with a sentence."""
    return reencode(uploaded_bytes())


def init_app(app: Flask) -> None:
    """Before edge.init_app: its check is the first to read the body."""

    @app.before_request
    def allow_photo_bodies():
        view = app.view_functions.get(request.endpoint or "")
        if getattr(view, "takes_photo", False):
            request.max_content_length = MAX_UPLOAD_BYTES + FORM_ROOM
