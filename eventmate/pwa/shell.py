"""The app shell's version: a hash of the files a phone keeps offline, so each deploy changes it.

Static files are also served under `/static/v/<version>/…`: ES modules import each other with
relative URLs, so a version in the path (not in `?v=`) reaches every module a page loads.
"""

import hashlib
from pathlib import Path

from flask import current_app, g, has_request_context, url_for

# What the service worker precaches, relative to the static folder (the scanner's decoder,
# in vendor/, is cached when the Scan screen first loads it). push.js too: offline, the
# reminder ask card's Remind me still asks for the permission (subscribing waits for the
# network).
SHELL_FOLDERS = ("css", "js", "icons")
_cache: dict[tuple, str] = {}


def project_root() -> Path:
    return Path(current_app.static_folder).parent


def shell_files() -> list[str]:
    """Paths under static/ that make up the app shell, sorted."""
    static = Path(current_app.static_folder)
    paths = (path for folder in SHELL_FOLDERS for path in (static / folder).rglob("*"))
    files = (path.relative_to(static).as_posix() for path in paths if path.is_file())
    return sorted(files)


def _versioned_sources() -> list[Path]:
    root = project_root()
    static = Path(current_app.static_folder)
    templates = root / "templates"
    return sorted(
        [
            *(path for path in static.rglob("*") if path.is_file()),
            root / "service-worker.js",
            templates / "base.html",
            *(templates / "pwa").glob("*.html"),
        ]
    )


def shell_version() -> str:
    """12 hex digits of a hash over static/, the service worker and the offline page's templates.

    Recomputed only when a file's size or modification time changed, and checked once per
    request: a page links many static files, and each check stats every one of them.
    """
    if has_request_context() and "shell_version" in g:
        return g.shell_version
    sources = _versioned_sources()
    signature = tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in sources)
    if signature not in _cache:
        digest = hashlib.sha256()
        for path in sources:
            digest.update(str(path.relative_to(project_root())).encode() + b"\0")
            digest.update(path.read_bytes())
        _cache.clear()
        _cache[signature] = digest.hexdigest()[:12]
    if has_request_context():
        g.shell_version = _cache[signature]
    return _cache[signature]


def static_url(filename: str) -> str:
    """URL of a static file under the current shell version: cached for a year, and by the
    service worker until the next deploy."""
    return url_for("pwa.versioned_static", version=shell_version(), filename=filename)
