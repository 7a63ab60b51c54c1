"""HTTP security: CSRF on every state change, security headers, rate limits."""

from flask import Flask

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
