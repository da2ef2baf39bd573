"""Add each feature's command group to ``app.cli`` (explicit, so grep finds them)."""
from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from volunteers.demo.cli import demo_command
    from volunteers.people.cli import import_cli, org_cli
    from volunteers.reports.cli import report_cli
    from volunteers.rota.cli import rota_cli
    from volunteers.rota import transfer_cli as _rota_transfer  # noqa: F401  (import roles/shifts, rota export)
    from volunteers.rota import fill_cli as _rota_fill  # noqa: F401  (rota fill)
    from volunteers.scheduler_cli import scheduler_cli
    from volunteers.wellbeing.cli import load

    for group in (org_cli, import_cli, rota_cli, scheduler_cli, load):
        app.cli.add_command(group)
    app.cli.add_command(demo_command)
    app.cli.add_command(report_cli)
