"""Every command of ``flask --app wsgi``, grouped in one place (explicit, so grep finds them).

Features define plain commands beside the code they drive; the groups that
hold commands of several features (``import``, ``rota``) are put together
here rather than by import side effects.
"""
from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

from volunteers.api.cli import token_cli
from volunteers.autofill import cli as autofill_cli
from volunteers.demo.cli import demo_command
from volunteers.operations import cli as operations_cli
from volunteers.peersupport import cli as peersupport_cli
from volunteers.people import cli as people_cli
from volunteers.people.twofactor_cli import two_factor_reset
from volunteers.privacy import cli as privacy_cli
from volunteers.reports.cli import report_cli
from volunteers.rota import cli as rota_cli
from volunteers.scheduler_cli import scheduler_cli
from volunteers.wellbeing.cli import load


def register_commands(app: Flask) -> None:
    """Add every command group to ``app.cli``."""
    org = AppGroup("org", help="Organisations (tenants).")
    org.add_command(people_cli.create_org)
    imports = AppGroup("import", help="Import spreadsheets (CSV) — all rows or none.")
    imports.add_command(people_cli.import_volunteers)
    imports.add_command(rota_cli.import_roles)
    imports.add_command(rota_cli.import_shifts)
    rota = AppGroup("rota", help="Rota: export, auto-fill.")
    rota.add_command(rota_cli.export)
    rota.add_command(autofill_cli.fill_command)
    person = AppGroup("person", help="People: two-factor reset, export, erase.")
    person.add_command(two_factor_reset)
    for command in (privacy_cli.export_command, privacy_cli.erase_command, privacy_cli.retention_command):
        person.add_command(command)
    cases = AppGroup("cases", help="Peer support: supported people (cases) and what is due.")
    cases.add_command(peersupport_cli.import_cases)
    cases.add_command(peersupport_cli.cases_due)
    cases.add_command(peersupport_cli.contact_plan)
    contacts = AppGroup("contacts", help="Peer support: contacts with supported people.")
    contacts.add_command(peersupport_cli.import_contacts)
    for group in (org, imports, rota, person, scheduler_cli, load, report_cli, cases, contacts):
        app.cli.add_command(group)
    app.cli.add_command(demo_command)
    app.cli.add_command(operations_cli.backup_command)
    app.cli.add_command(operations_cli.restore_command)
    app.cli.add_command(token_cli)
