"""Add each feature's command group to ``app.cli`` (explicit, so grep finds them)."""
from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from volunteers.people.cli import import_cli, org_cli
    from volunteers.scheduler_cli import scheduler_cli

    for group in (org_cli, import_cli, scheduler_cli):
        app.cli.add_command(group)
    try:  # TEMPORARY while the demo and load commands are being written
        from volunteers.demo.cli import demo_command
        from volunteers.wellbeing.cli import load
        app.cli.add_command(load)
        app.cli.add_command(demo_command)
    except ImportError:
        pass
