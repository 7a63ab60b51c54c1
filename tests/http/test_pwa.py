"""The installable app: service worker, manifest, offline pages, versioned static files, CSRF."""

import io
import json
import re
import uuid
from pathlib import Path

import pytest
from flask import url_for
from PIL import Image

from eventmate.pwa import routes as routes_module
from eventmate.pwa import shell

VERSIONED = re.compile(r"/static/v/([0-9a-f]{12})/")


def test_service_worker_is_served_from_the_root_fresh_and_versioned(client):
    response = client.get("/service-worker.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    [version] = set(VERSIONED.findall(source))
    assert f'const VERSION = "{version}";' in source
    assert f'import * as outbox from "/static/v/{version}/js/outbox.js";' in source
    shell_urls = json.loads(re.search(r"const SHELL = (\[.*\]);", source).group(1))
    assert "/offline" in shell_urls
    kept = (
        "css/app.css",
        "js/app.js",
        "js/outbox.js",
        "js/outbox-queue.js",
        "js/offline-capture.js",
        "js/push.js",  # offline, Remind me asks and subscribes once back online
        "js/reminder-ask.js",
    )
    for name in kept:  # the worker imports outbox.js, which imports outbox-queue.js
        assert f"/static/v/{version}/{name}" in shell_urls
    assert f"/static/v/{version}/icons/icon-192.png" in shell_urls
    assert not any("/vendor/" in url for url in shell_urls)  # the decoder is cached when used
    for url in shell_urls:
        assert client.get(url).status_code == 200, url


def test_versioned_static_files_are_immutable_only_under_the_current_version(client):
    version = VERSIONED.search(client.get("/service-worker.js").get_data(as_text=True)).group(1)
    current = client.get(f"/static/v/{version}/js/outbox.js")
    assert current.status_code == 200
    assert "immutable" in current.headers["Cache-Control"]
    assert "max-age=31536000" in current.headers["Cache-Control"]
    older = client.get("/static/v/000000000000/js/outbox.js")
    assert older.status_code == 200
    assert "immutable" not in older.headers.get("Cache-Control", "")
    assert client.get(f"/static/v/{version}/js/nothing.js").status_code == 404
    assert client.get(f"/static/v/{version}/../eventmate/config.py").status_code == 404


def test_the_version_changes_when_a_shell_file_changes(app, tmp_path):
    root = tmp_path / "site"
    (root / "static" / "js").mkdir(parents=True)
    (root / "templates" / "pwa").mkdir(parents=True)
    (root / "static" / "js" / "app.js").write_text("console.log(1);")
    (root / "service-worker.js").write_text("// worker")
    (root / "templates" / "base.html").write_text("<html>")
    app.static_folder = str(root / "static")

    def version_seen_by_a_request() -> str:
        with app.test_request_context():
            return shell.shell_version()

    first = version_seen_by_a_request()
    assert version_seen_by_a_request() == first
    (root / "static" / "js" / "app.js").write_text("console.log(22);")
    second = version_seen_by_a_request()
    (root / "templates" / "pwa" / "offline.html").write_text("offline")
    third = version_seen_by_a_request()
    assert len({first, second, third}) == 3


def test_pages_use_versioned_static_urls_and_link_the_manifest(ana):
    page = ana.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert re.search(r'<link rel="stylesheet" href="/static/v/[0-9a-f]{12}/css/app\.css">', page)
    assert re.search(r'<script type="module" src="/static/v/[0-9a-f]{12}/js/app\.js">', page)
    assert "/static/css/" not in page and "/static/js/" not in page


def test_logged_in_pages_name_the_user_and_the_pages_to_keep_offline(app, ana, accounts):
    ana_id = accounts.user("ana@example.org").id
    page = ana.get("/card").get_data(as_text=True)
    meta = re.search(
        r'<meta name="eventmate-user" content="(\d+)"[^>]*data-offline="([^"]*)"', page
    )
    assert meta and int(meta.group(1)) == ana_id
    kept = meta.group(2).split()
    pages = {"/", "/card", "/offline/people", "/inbox", "/scan", "/offline/capture"}
    assert pages <= set(kept)
    assert "/contacts/" not in kept  # offline, /offline/people draws it from the contacts' copy
    [qr] = [url for url in kept if url.endswith("/qr.svg")]
    assert ana.get(qr).headers["Content-Type"].startswith("image/svg+xml")
    assert "data-sync-badge" in page and "data-toast" in page


def test_visitors_pages_carry_no_user(client):
    page = client.get("/login").get_data(as_text=True)
    assert "eventmate-user" not in page
    assert "data-sync-badge" not in page


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.headers["Content-Type"] == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] == "EventMate" and manifest["short_name"] == "EventMate"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0f766e"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert {(s["name"], s["url"]) for s in manifest["shortcuts"]} == {
        ("Scan", "/scan"),
        ("My card", "/card"),
    }
    purposes = set()
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(client.get(icon["src"]).data))
        assert f"{image.width}x{image.height}" == icon["sizes"]
        assert image.format == "PNG"
        purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_offline_page_holds_no_user_data_and_keeps_flashes(ana):
    ana.post("/card/rotate")  # flashes "You have a new QR code"
    page = ana.get("/offline").get_data(as_text=True)
    assert "You're offline" in page
    assert "Ana" not in page
    assert "csrf-token" not in page and "eventmate-user" not in page
    assert "You have a new QR code" in ana.get("/card").get_data(as_text=True)


def test_offline_capture_screen_needs_login_and_lists_my_prompts(client, ana):
    page = ana.get("/offline/capture").get_data(as_text=True)
    assert "data-capture" in page and "data-capture-payload" in page  # the one capture form
    assert "What do they enjoy most about their work?" in page
    ana.post("/logout")
    assert ana.get("/offline/capture").status_code == 302


def test_offline_people_page_needs_login_and_is_the_people_tab(client, ana):
    page = ana.get("/offline/people").get_data(as_text=True)
    assert "data-people-offline" in page and "people-offline.js" in page
    assert re.search(r'<a href="/contacts/" aria-current="page">', page)
    ana.post("/logout")
    assert ana.get("/offline/people").status_code == 302


def test_csrf_endpoint_gives_a_working_token_to_the_session_owner(app, client, ana, accounts):
    response = ana.get("/api/csrf")
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["user"] == accounts.user("ana@example.org").id
    scan = {"id": str(uuid.uuid4()), "payload": "hello", "scanned_at": "2026-01-01T10:00:00Z"}
    sent = ana.post(
        "/api/scans", json=scan, headers={"X-CSRFToken": body["csrf_token"]}, csrf=False
    )
    assert sent.status_code == 201


def test_csrf_endpoint_answers_401_json_when_logged_out(client):
    response = client.get("/api/csrf")
    assert response.status_code == 401
    assert response.get_json()["error"]


def test_an_expired_token_under_api_says_so(ben):
    response = ben.post(
        "/api/scans",
        json={"id": str(uuid.uuid4()), "payload": "x", "scanned_at": "2026-01-01T10:00:00Z"},
        headers={"X-CSRFToken": "expired"},
        csrf=False,
    )
    assert response.status_code == 400
    assert response.get_json()["csrf"] is True


def test_icons_are_committed_pngs():
    icons = Path(shell.__file__).resolve().parents[2] / "static" / "icons"
    for name in ("icon-192.png", "icon-512.png", "maskable-512.png", "apple-touch-icon.png"):
        assert (icons / name).stat().st_size < 20_000, name


def worker_routes_in(source: str) -> dict:
    return json.loads(re.search(r"const ROUTES = (\{.*\});", source).group(1))


EXAMPLE_ARGUMENTS = {"token": "card-token-of-22-chars", "version": "9f3a"}


def test_the_workers_route_patterns_come_from_real_routes(app, ana):
    """Each pattern written into the worker matches its GET route of `app.url_map`, and every
    page a phone keeps for offline use (offline_urls) matches one: renaming a route can't
    silently stop it from working offline."""
    routes = worker_routes_in(ana.get("/service-worker.js").get_data(as_text=True))
    groups = {
        "keptPages": routes_module.KEPT_PAGES,
        "cacheFirst": routes_module.CACHE_FIRST,
        "people": routes_module.PEOPLE,
        "edit": routes_module.EDIT,
    }
    assert len(routes["keptPages"]) >= 8
    with app.test_request_context():
        assert routes["peoplePage"] == url_for(routes_module.PEOPLE_PAGE)
        assert routes["editPage"] == url_for(routes_module.EDIT_PAGE)
        for group, endpoints in groups.items():
            patterns = [re.compile(pattern) for pattern in routes[group]]
            assert len(patterns) == len(endpoints), group
            for endpoint, pattern in zip(endpoints, patterns, strict=True):
                [rule] = [r for r in app.url_map.iter_rules(endpoint) if "GET" in r.methods]
                example = url_for(
                    endpoint, **{name: EXAMPLE_ARGUMENTS.get(name, 12) for name in rule.arguments}
                )
                matching = [p.pattern for p in patterns if p.match(example)]
                assert matching == [pattern.pattern], example
                assert not pattern.match(example + "/x")
    kept = [re.compile(pattern) for pattern in routes["keptPages"]]
    cache_first = [re.compile(pattern) for pattern in routes["cacheFirst"]]
    offline = re.search(r'data-offline="([^"]*)"', ana.get("/card").get_data(as_text=True))
    for url in offline.group(1).split():
        assert any(pattern.match(url) for pattern in kept + cache_first), url
    for path in ("/login", "/account/delete", "/contacts/0", "/contacts/12/delete"):
        assert not any(pattern.match(path) for pattern in kept), path


def test_a_route_the_worker_needs_cannot_disappear(app, monkeypatch):
    monkeypatch.setattr(routes_module, "KEPT_PAGES", (*routes_module.KEPT_PAGES, "gone.page"))
    with pytest.raises(LookupError, match=r"gone\.page"):
        routes_module.worker_routes(app)


def test_rule_patterns_escape_what_regular_expressions_read(app):
    converters = app.url_map.converters
    qr = routes_module.rule_pattern("/c/<card_token:token>/qr.svg", converters)
    assert qr == r"^/c/(?:[A-Za-z0-9_-]{16,64})/qr\.svg$"
    assert routes_module.rule_pattern("/x/<name>", converters) == r"^/x/(?:[^/]+)$"
    assert routes_module.rule_pattern("/", converters) == "^/$"
