"""Scheduled jobs of the people package: expiry reminders for checks and training.

Hourly in the morning; each organisation's reminders go once per its local
day (the run-once key), so the later hours only retry a failed run.
"""
from __future__ import annotations

from volunteers.core.jobs import Job
from volunteers.people.qualification_reminders import JOB_ID, send_all

JOBS = [
    Job(id=JOB_ID, func=send_all, cron={"hour": "7-10", "minute": 25}),
]
