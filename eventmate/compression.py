"""Responses compressed for the phone's slow link: pages, JSON, CSS, JS, SVG and the scanner's
WebAssembly decoder (953 KB, about 410 KB gzipped).

Flask-Compress picks zstd, Brotli or gzip from the browser's Accept-Encoding. Static files are
streamed (compressed chunk by chunk); versioned ones are cached by the browser for a year
(`pwa.views.versioned_static`), so each is compressed about once per phone and deploy.
"""

from flask import Flask

from .extensions import compress

# What is worth compressing: text and WebAssembly. Images (PNG) and files already compressed
# are left alone; so are answers under 500 bytes (the default minimum).
MIMETYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "text/vcard",
    "text/calendar",
    "text/csv",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/wasm",
    "image/svg+xml",
)


# Best first. Chromium offers zstd and Brotli only over HTTPS, so gzip serves plain-http
# trials too, streamed files included (the extension leaves gzip out of streams by default);
# "deflate" is left out everywhere (browsers disagree on what it means).
ALGORITHMS = ["zstd", "br", "gzip"]


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", list(MIMETYPES))
    app.config.setdefault("COMPRESS_ALGORITHM", ALGORITHMS)
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ALGORITHMS)
    compress.init_app(app)
