"""`flask --app wsgi scheduler run`: the scheduled jobs in the foreground."""
from __future__ import annotations

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app
from flask.cli import AppGroup

from volunteers.scheduler import build_scheduler

scheduler_cli = AppGroup("scheduler", help="Scheduled jobs.")


@scheduler_cli.command("run")
def run_scheduler() -> None:
    """Run every feature's jobs until stopped (Ctrl-C)."""
    scheduler = build_scheduler(current_app._get_current_object(), BlockingScheduler)  # type: ignore[attr-defined]
    for job in scheduler.get_jobs():
        click.echo(f"job {job.id}: {job.trigger}")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("scheduler stopped")
