"""EventMate: meet, remember and follow up with the people you meet at events."""

from pathlib import Path

from flask import Flask

from . import auth, compression, database, edge, errors, mail, push, security, templating
from .config import Config, apply_environment
from .photos import uploads

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    apply_environment(app.config, app.instance_path)

    uploads.init_app(app)  # before edge: it raises the body limit of photo uploads
    edge.init_app(app)
    database.init_app(app)
    security.init_app(app)
    compression.init_app(app)
    auth.init_app(app)
    mail.init_app(app)
    register_blueprints(app)
    push.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    register_commands(app)
    return app


def register_blueprints(app: Flask) -> None:
    from .account.views import bp as account_bp
    from .api.views import bp as api_bp
    from .cards.views import bp as cards_bp
    from .contacts.views import bp as contacts_bp
    from .events.views import bp as events_bp
    from .followups.views import bp as inbox_bp
    from .home.views import bp as home_bp
    from .introductions.views import bp as introductions_bp
    from .photos.views import bp as photos_bp
    from .pwa import bp as pwa_bp
    from .relationships.views import bp as relationships_bp
    from .reminders.views import bp as reminders_bp
    from .review.views import bp as review_bp
    from .scanning.views import bp as scanning_bp
    from .shared_details.views import bp as shared_bp
    from .warm_paths.views import bp as warm_bp

    blueprints = (
        home_bp,
        auth.bp,
        cards_bp,
        scanning_bp,
        contacts_bp,
        events_bp,
        account_bp,
        api_bp,
        relationships_bp,
        introductions_bp,
        warm_bp,
        shared_bp,
        inbox_bp,
        reminders_bp,
        pwa_bp,
        photos_bp,
        review_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_commands(app: Flask) -> None:
    from .commands import seed_demo
    from .doctor import doctor
    from .reminders.cli import reminders

    app.cli.add_command(seed_demo)
    app.cli.add_command(doctor)
    app.cli.add_command(reminders)
