"""Running the app as a service: metrics, readiness, request logs and backups.

Nothing here is a page people use; it is what a sysadmin, a load balancer and
Prometheus talk to. It sits above every feature (it reads the outbox and the
job runs) and below the scheduler and CLI, which call its backup job and
commands.
"""
