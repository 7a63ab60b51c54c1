"""Warm paths: who do I know at a company, and asking one of them for an introduction."""
