"""CLI commands: `flask --app app seed-demo`."""

import click
from flask.cli import with_appcontext

from .demo import DEMO_EMAIL, DEMO_PASSWORD, seed_demo_data


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Fill a demo event with attendees and a demo login (safe to run again)."""
    created = seed_demo_data()
    if created:
        click.echo("Demo data created.")
    else:
        click.echo("Demo data was already there.")
    click.echo(f"Log in as {DEMO_EMAIL} with password: {DEMO_PASSWORD}")
