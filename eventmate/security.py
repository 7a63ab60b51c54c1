"""HTTP security: CSRF on every state change, security headers, rate limits."""

from flask import Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import csrf, limiter, talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    # WebAssembly (the scanner's decoder) may compile; JavaScript eval stays forbidden.
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    trust_proxies(app)
    limiter.init_app(app)
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        permissions_policy={"camera": "(self)", "geolocation": "()", "microphone": "()"},
    )


@limiter.request_filter
def limits_switched_off() -> bool:
    """The limiter is one object for every app in a process, and Flask-Limiter keeps the last
    `init_app`'s RATELIMIT_ENABLED for all of them: each app's own setting is read per request
    (the browser tests' live server switches limits off while other apps switch them on)."""
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def trust_proxies(app: Flask) -> None:
    """The client's address from X-Forwarded-For, as the last `TRUSTED_PROXIES` proxies saw it.

    Only the address: the scheme (X-Forwarded-Proto) is gunicorn's to trust, from the addresses
    in its `--forwarded-allow-ips`."""
    if app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"])
