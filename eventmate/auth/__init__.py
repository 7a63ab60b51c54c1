"""Accounts: sign up, log in, log out."""

from flask import Flask

from ..extensions import login_manager
from .sessions import load_user
from .views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
