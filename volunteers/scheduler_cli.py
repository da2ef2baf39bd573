"""`flask --app wsgi scheduler run`: the scheduled jobs in the foreground."""
from __future__ import annotations

import click
from flask.cli import AppGroup, ScriptInfo, pass_script_info

from volunteers.scheduler import build_scheduler

scheduler_cli = AppGroup("scheduler", help="Scheduled jobs.")


@scheduler_cli.command("run")
@pass_script_info
def run_scheduler(info: ScriptInfo) -> None:
    """Run every feature's jobs until stopped (Ctrl-C)."""
    from apscheduler.schedulers.blocking import BlockingScheduler  # only this command: not in every web worker

    # the app object itself, not the current_app proxy: each job pushes its own context on it
    scheduler = build_scheduler(info.load_app(), BlockingScheduler)
    for job in scheduler.get_jobs():
        click.echo(f"job {job.id}: {job.trigger}")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("scheduler stopped")
