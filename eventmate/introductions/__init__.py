"""Careful introductions: two of the user's contacts, each asked first (double opt-in)."""
