"""Lighthouse (mobile, performance) on every screen, signed in as the demo user.

    npm install --prefix /tmp/lh lighthouse@13.5.0      # once; not a project dependency
    python bench/lighthouse.py --lighthouse /tmp/lh/node_modules/.bin/lighthouse

It serves EventMate with gunicorn (SQLite in a temporary folder, the demo data, compression
and caching as in production, plain HTTP on 127.0.0.1), logs in over HTTP, and runs Lighthouse's
default mobile profile (Moto G Power viewport, simulated slow 4G and 4× CPU slowdown) on each
page with the session cookie. The baseline, measured in the same run under the same throttling,
is a static page of a heading and a paragraph: what a screen that does nothing scores here.

Per page it prints the performance score, First Contentful Paint, Largest Contentful Paint,
Total Blocking Time, Cumulative Layout Shift and the bytes transferred, then the lowest score
and each page's LCP as a ratio of the baseline's. Exit status: 0 every page ≥ --target (95);
1 a page below it; 2 it could not run.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from servers import Server, Settings  # noqa: E402

from eventmate import create_app  # noqa: E402
from eventmate.demo import DEMO_EMAIL, DEMO_PASSWORD, seed_demo_data  # noqa: E402
from eventmate.extensions import db  # noqa: E402
from eventmate.models import Contact, Event, User  # noqa: E402

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
BASELINE_HTML = "<!doctype html><html lang=en><meta name=viewport content='width=device-width'>"
BASELINE_HTML += "<title>Baseline</title><h1>Baseline</h1><p>A page that does nothing.</p>"


def prepare_database(folder: Path) -> tuple[str, dict[str, str]]:
    """A SQLite database with the demo data; the ids and token the page list needs."""
    url = f"sqlite:///{folder / 'lighthouse.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        seed_demo_data()
        user = db.session.scalar(db.select(User).where(User.email == DEMO_EMAIL))
        contact = db.session.scalar(db.select(Contact).where(Contact.owner_id == user.id))
        event = db.session.scalar(db.select(Event).where(Event.created_by_id == user.id))
        ids = {"contact": str(contact.id), "event": str(event.id), "card": user.card_token}
    return url, ids


def pages(ids: dict[str, str]) -> dict[str, str]:
    """Name → path; `visitor` pages are measured without the session cookie."""
    return {
        "visitor: welcome": "/",
        "visitor: log in": "/login",
        "visitor: sign up": "/register",
        "visitor: public card": f"/c/{ids['card']}",
        "home": "/",
        "my card": "/card",
        "scan": "/scan",
        "people": "/contacts/",
        "contact": f"/contacts/{ids['contact']}",
        "contact: edit": f"/contacts/{ids['contact']}/edit",
        "follow-ups": "/inbox",
        "events": "/events/",
        "event": f"/events/{ids['event']}",
        "profile": "/account/",
        "giving back": "/giving-back",
        "allies": "/allies",
        "offline capture": "/offline/capture",
    }


def session_cookie(base_url: str) -> str:
    with httpx.Client(base_url=base_url, follow_redirects=True) as client:
        token = CSRF_META.search(client.get("/login").text).group(1)
        form = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": token}
        response = client.post("/login", data=form)
        if response.url.path == "/login":
            raise SystemExit("bench: the demo user could not log in")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def lighthouse(binary: str, url: str, cookie: str | None, chrome: str) -> dict:
    command = [
        binary,
        url,
        "--only-categories=performance",
        "--output=json",
        "--quiet",
        f"--chrome-path={chrome}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1:] or ["lighthouse failed"])
    report = json.loads(done.stdout)
    audits = report["audits"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
    }


HEADER = f"{'page':<22} {'score':>5} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>6} {'CLS':>6}"
HEADER += f" {'KB':>7} {'LCP×':>6}"


def row(name: str, result: dict, baseline_lcp: float) -> str:
    return (
        f"{name:<22} {result['score']:>5} {result['fcp']:>7.0f} {result['lcp']:>7.0f} "
        f"{result['tbt']:>6.0f} {result['cls']:>6.3f} {result['bytes'] / 1024:>7.1f} "
        f"{result['lcp'] / baseline_lcp:>6.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", default=os.environ.get("LIGHTHOUSE", "lighthouse"))
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--target", type=int, default=95)
    parser.add_argument("--only", help="measure only pages whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eventmate-lighthouse-") as temp:
        folder = Path(temp)
        database_url, ids = prepare_database(folder)
        (folder / "baseline.html").write_text(BASELINE_HTML, encoding="utf-8")
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "EVENTMATE_ENV": "development",  # plain HTTP cookies on 127.0.0.1
        }
        settings = Settings(workers=2, worker_class="gthread", threads=4)
        with (
            Server("app:app", settings, env, folder / "server.log", "/login") as server,
            subprocess.Popen(
                [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "0"],
                cwd=temp,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            ) as static_server,
        ):
            try:
                port = re.search(r"port (\d+)", static_server.stdout.readline()).group(1)
                cookie = session_cookie(server.base_url)
                baseline = lighthouse(
                    args.lighthouse, f"http://127.0.0.1:{port}/baseline.html", None, args.chrome
                )
                print(HEADER)
                print(row("baseline (static)", baseline, baseline["lcp"]))
                results = {}
                for name, path in pages(ids).items():
                    if args.only and args.only not in name:
                        continue
                    visitor = name.startswith("visitor")
                    url = server.base_url + path
                    results[name] = lighthouse(
                        args.lighthouse, url, None if visitor else cookie, args.chrome
                    )
                    print(row(name, results[name], baseline["lcp"]), flush=True)
            finally:
                static_server.terminate()
    lowest = min(results.items(), key=lambda item: item[1]["score"])
    print(f"\nlowest: {lowest[0]} {lowest[1]['score']} (target ≥ {args.target})")
    return 0 if lowest[1]["score"] >= args.target else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        print(f"bench: could not run: {error}", file=sys.stderr)
        sys.exit(2)
