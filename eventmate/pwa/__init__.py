"""The installable app: service worker, web app manifest, offline pages, versioned static files."""

from .views import bp

__all__ = ["bp"]
