"""The app shell's size against its budgets.

    python bench/shell_size.py

Two figures, both without the scanner's lazily loaded decoder (static/vendor/):
- "home page": the HTML of the home screen (the demo user, with an event and contacts) plus
  the CSS and the JavaScript modules it loads at start (its module graph, followed through
  static `import … from`), i.e. what a phone downloads to show Home. Budget: 110 KB
  uncompressed (about 32 KB as sent). It was 100 KB until the warm paths, the monthly review,
  paper cards and locale dates added their links, rows and styles to Home and the one
  stylesheet;
- "precached shell": what the service worker stores at install: every CSS and JS file of
  static/ but those that only work online (`eventmate.pwa.shell.ONLINE_ONLY`), and the
  offline page (icons listed apart). Budget: 80 KB as sent (gzip -9 here; the server sends
  zstd, Brotli or gzip, eventmate/compression.py): what an install costs on conference Wi-Fi,
  about half a second at 1 Mbit/s, in the background (the page does not wait for it). It was
  50 KB while the offline app was scans and notes; it now also draws People and every contact,
  captures in place, takes photos and coaches the tone of a follow-up, all with no network.
"""

import gzip
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventmate import create_app  # noqa: E402
from eventmate.demo import DEMO_EMAIL, DEMO_PASSWORD, seed_demo_data  # noqa: E402
from eventmate.extensions import db  # noqa: E402
from eventmate.pwa.shell import shell_files  # noqa: E402

HOME_BUDGET = 110 * 1024  # uncompressed
PRECACHE_BUDGET_SENT = 80 * 1024  # compressed
STATIC = ROOT / "static"
VERSIONED = re.compile(r"/static/v/[0-9a-f]+/")
STATIC_IMPORT = re.compile(r"""^\s*import\s[^;]*?from\s+["'](\./[^"']+)["']""", re.M)


def kb(size: int) -> str:
    return f"{size / 1024:6.1f} KB"


def module_graph(entry: str) -> list[str]:
    """Static imports reachable from a module (paths relative to static/)."""
    seen, todo = [], [entry]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.append(path)
        source = (STATIC / path).read_text(encoding="utf-8")
        folder = Path(path).parent
        todo += [
            (folder / name).as_posix().replace("/./", "/") for name in STATIC_IMPORT.findall(source)
        ]
    return [str(Path(p)) for p in seen]


def home_html() -> tuple[bytes, list[str]]:
    """The demo user's home page and the static files it links to."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/shell.sqlite3",
                "RATELIMIT_ENABLED": False,
                "WTF_CSRF_ENABLED": False,
                "TESTING": True,
            }
        )
        with app.app_context():
            db.create_all()
            seed_demo_data()
        client = app.test_client()
        client.post("/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        html = client.get("/").data
        with app.app_context():
            db.engine.dispose()
    # What a phone with JavaScript loads: a <noscript> stylesheet is never fetched then.
    shown = re.sub(rb"<noscript>.*?</noscript>", b"", html, flags=re.S)
    linked = re.findall(rb'(?:href|src)="(/static/v/[0-9a-f]+/[^"]+\.(?:css|js))"', shown)
    return html, sorted({VERSIONED.sub("", url.decode()) for url in linked})


def report(title: str, rows: list[tuple[str, bytes]], *, budget: int, compressed: bool) -> bool:
    """Print the rows and their totals; True when the total (as sent, if `compressed`) fits."""
    total = sum(len(data) for _, data in rows)
    zipped = sum(len(gzip.compress(data, 9)) for _, data in rows)
    print(f"\n{title}")
    for name, data in rows:
        print(f"  {kb(len(data))}  {name}")
    measured = zipped if compressed else total
    fits = measured <= budget
    kind = "gzipped" if compressed else "uncompressed"
    print(
        f"  {kb(total)}  total ({kb(zipped).strip()} gzipped) — "
        f"{'within' if fits else 'OVER'} the {budget // 1024} KB budget ({kind})"
    )
    return fits


def main() -> int:
    html, linked = home_html()
    scripts = [path for path in linked if path.endswith(".js")]
    loaded = sorted({*linked, *(m for entry in scripts for m in module_graph(entry))})
    home = [("home page HTML", html), *((path, (STATIC / path).read_bytes()) for path in loaded)]
    home_fits = report(
        "Home page (HTML + CSS + JS loaded at start)", home, budget=HOME_BUDGET, compressed=False
    )

    app = create_app({"SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        precached_files = [path for path in shell_files() if not path.startswith("icons/")]
    offline = app.test_client().get("/offline")
    precached = [
        ("/offline", offline.data),
        *((path, (STATIC / path).read_bytes()) for path in precached_files),
    ]
    shell_fits = report(
        "Precached shell (CSS + all JS + offline page)",
        precached,
        budget=PRECACHE_BUDGET_SENT,
        compressed=True,
    )
    icons = sum(path.stat().st_size for path in (STATIC / "icons").glob("*.png"))
    print(f"\n  icons, precached too: {kb(icons).strip()}")
    return 0 if home_fits and shell_fits else 1


if __name__ == "__main__":
    sys.exit(main())
