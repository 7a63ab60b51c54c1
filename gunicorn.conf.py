"""gunicorn's settings, read from the directory it starts in (the checkout): `gunicorn app:app`.

Command-line options (`--workers 4`, `--bind`) still win; WEB_CONCURRENCY sets the worker count
when `--workers` is not given."""


def post_worker_init(worker):
    """Each worker says so loudly when the rate limits can't hold with this many workers."""
    from eventmate.deployment import unshared_limits_warning

    warning = unshared_limits_warning(worker.wsgi, workers=worker.cfg.workers)
    if warning:
        worker.log.warning(warning)
