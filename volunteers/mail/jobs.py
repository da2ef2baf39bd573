"""Scheduled jobs for mail: send the outbox every minute."""
from volunteers.core.jobs import Job
from volunteers.mail import sender

JOBS = [
    Job(id="mail.send_outbox", func=sender.send_due, cron={"minute": "*"}),
]
