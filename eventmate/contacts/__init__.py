"""A user's contacts: the People list, a contact's page, the capture form."""

from . import changes  # noqa: F401  (registers the listener that dates every change)
