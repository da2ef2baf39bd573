"""`flask --app wsgi rota fill`: fill a period's open places with the auto-rota.

    rota fill --org SLUG --from YYYY-MM-DD --to YYYY-MM-DD [--dry-run] [--time-limit S] [--seed N]

Dates are local dates in the organisation's zone, both included. With
``--dry-run`` the proposal is printed and nothing is saved; without it the
places are saved with source ``auto`` and committed once at the end. Bad
input (an unknown organisation, a malformed date, a period that ends before
it starts) is reported on stderr with a non-zero exit, and nothing is saved.
volunteers/cli.py imports this module so that the command registers.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from volunteers.autofill.explain import ProposalReport, describe
from volunteers.autofill.services import apply_fill, propose_fill
from volunteers.core.cli import date_or_fail, fail, organisation_or_fail
from volunteers.core.maintenance import analyze
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db
from volunteers.rota.models import Assignment, Shift


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _print(report: ProposalReport, dry_run: bool) -> None:
    coverage = "no rota fills more" if report.coverage_proved else "the most found in the time"
    fairness = "proved best" if report.status == "optimal" else "best found in the time"
    click.echo(f"Places: {report.places_filled} of {report.places_open} open places filled, "
               f"{len(report.gaps)} left open ({coverage}; spread of hours {fairness}; "
               f"{report.seconds:.1f} s)")
    if report.placements:
        click.echo("\nWho goes where" + (" (proposed)" if dry_run else ""))
        for p in report.placements:
            s = p.shift
            click.echo(f"  {s.day:%a %d %b %Y}  {s.start}–{s.end}  {s.role:<24} {s.site:<24} {p.name}")
    if report.hours:
        click.echo("\nHours this period against pledge (before → after)")
        for h in report.hours:
            pledge = (f"pledge {_hours(h.pledge_hours)} h ({_hours(h.pledged_hours_per_week)} a week)"
                      if h.pledge_hours else "no pledge")
            click.echo(f"  {h.name:<28} {h.before:g} → {h.after:g} h, {pledge}")
    if report.gaps:
        click.echo("\nLeft open")
        for g in report.gaps:
            s = g.shift
            click.echo(f"  {s.day:%a %d %b %Y}  {s.start}–{s.end}  {s.role:<24} {s.site:<24} "
                       f"place {g.place}: {g.reason} ({g.message})")


@click.command("fill")
@click.option("--org", "slug", required=True, help="The organisation's slug.")
@click.option("--from", "first", required=True, help="First local date, YYYY-MM-DD.")
@click.option("--to", "last", required=True, help="Last local date, YYYY-MM-DD (included).")
@click.option("--dry-run", is_flag=True, help="Print the proposal; save nothing.")
@click.option("--time-limit", type=click.FloatRange(min=0.1, max=3600), default=10.0, show_default=True,
              help="Seconds the solver may take.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (same seed, same rota).")
@with_appcontext
def fill_command(slug: str, first: str, last: str, dry_run: bool, time_limit: float, seed: int) -> None:
    """Fill the open places of a period with the auto-rota (CP-SAT)."""
    org = organisation_or_fail(slug)
    first_day, last_day = date_or_fail(first, "--from"), date_or_fail(last, "--to")
    if last_day < first_day:
        fail(f"--to: {last_day} is before --from {first_day}")
    now = utcnow()
    try:
        proposal = propose_fill(org, first_day, last_day, now, time_limit_s=time_limit, seed=seed)
    except ValueError as error:  # a load policy or personal limits the rules refuse
        fail(str(error))
    click.echo(f"{org.name}: auto-fill {first_day:%d %b %Y} – {last_day:%d %b %Y}"
               + (" (dry run: nothing saved)" if dry_run else ""))
    _print(describe(org, proposal), dry_run)
    if dry_run:
        db.session.rollback()
        return
    pairs = [(p.shift_id, p.candidate_id) for p in proposal.assignments]
    applied = apply_fill(org, proposal, pairs, now, actor_person_id=None)
    db.session.commit()
    analyze(db.session, Assignment, Shift)  # a month of places at once: fresh statistics for the planner
    click.echo(f"\nSaved {len(applied)} places with source auto.")
    for (shift_id, member_id), why in applied.skipped:
        click.echo(f"  not saved: shift {shift_id}, member {member_id}: {why}")
