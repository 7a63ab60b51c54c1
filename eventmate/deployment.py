"""How the app is deployed, checked by each gunicorn worker as it starts (gunicorn.conf.py)."""


def unshared_limits_warning(wsgi_app, workers: int) -> str | None:
    """A warning when rate limits can't hold: in production, several worker processes each
    counting in their own memory let through up to that many times the limit.

    `wsgi_app` is what gunicorn serves: other apps run from this checkout (bench/) are not
    EventMate and get no warning."""
    config = getattr(wsgi_app, "config", None)
    if (
        not config
        or "EVENTMATE_ENV" not in config
        or config["EVENTMATE_ENV"] == "development"
        or not config.get("RATELIMIT_ENABLED", True)
        or workers <= 1
        or not config["RATELIMIT_STORAGE_URI"].startswith("memory://")
    ):
        return None
    return (
        f"RATE LIMITS DO NOT HOLD: {workers} workers each count login, sign-up and share-back "
        "attempts in their own memory, so an attacker gets up to "
        f"{workers} times the limits. Set RATELIMIT_STORAGE_URI=redis://host:6379 "
        "(see README, Deploying)."
    )
