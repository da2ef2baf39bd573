"""Configuration classes. Environment variables are read here and nowhere else."""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-only-not-secret"


class Config:
    """Settings shared by every environment; each one can be set from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    # Two-factor secrets are stored encrypted (people/totp_secrets.py): comma-separated Fernet keys, the first
    # encrypting; empty = a key derived from SECRET_KEY (which then must not change without listing the old one)
    TOTP_ENCRYPTION_KEYS = os.environ.get("TOTP_ENCRYPTION_KEYS", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'volunteers.sqlite'}"
    )
    # no pool_pre_ping: volunteers.core.connection_check checks a pooled connection as it leaves the pool, but
    # where the request's first statement checks it itself (the sign-in read, /healthz) and runs again if it was lost
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SCHEDULER_ENABLED = os.environ.get("SCHEDULER_ENABLED", "1") == "1"
    #: start a background scheduler inside the web process (`make run`); production
    #: runs `flask --app wsgi scheduler run` in its own process instead
    SCHEDULER_IN_PROCESS = os.environ.get("SCHEDULER_IN_PROCESS", "0") == "1"

    # Mail: an outbox table sent by a job. MAIL_BACKEND "smtp" talks SMTP,
    # "console" prints messages (development), "none" leaves them queued.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "rota@volunteers.example")
    # Text messages (volunteers.mail.sms): "console" prints them, "notify" (GOV.UK Notify) or "twilio" send them
    SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY")
    NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID")  # a template whose content is ((body))
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL")  # unset: Notify's own API
    NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN")  # the bearer token of its receipts
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN")
    TWILIO_FROM = os.environ.get("TWILIO_FROM")  # a number in E.164, or a Messaging Service SID (MG…)
    TWILIO_BASE_URL = os.environ.get("TWILIO_BASE_URL")  # unset: https://api.twilio.com
    # Outbound webhooks (volunteers.api.webhook_sender): seconds to wait for an answer; addresses that are not
    # public (loopback, private, link-local: this server's neighbours) are refused unless this is "1"
    WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
    WEBHOOK_ALLOW_PRIVATE_HOSTS = os.environ.get("WEBHOOK_ALLOW_PRIVATE_HOSTS", "0") == "1"

    # Links in e-mails and calendar feeds (volunteers.core.links): BASE_URL when set; unset, a
    # request's own address, and for jobs and commands (no request) SERVER_NAME_FOR_LINKS.
    BASE_URL = os.environ.get("BASE_URL") or None
    SERVER_NAME_FOR_LINKS = BASE_URL or "http://127.0.0.1:5000"
    # hosts the app answers to (comma-separated; others get a 400): set it in production when
    # BASE_URL is not, so links built from a request's Host header can't be pointed elsewhere
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None

    # Proxies in front of the app (HAProxy in deploy/, a platform's router): how many of them
    # append to X-Forwarded-For and set X-Forwarded-Proto, so the client's address (per-IP
    # sign-in limits, logs) and https (Secure cookies, links) are read through them. 0, the
    # default, believes no such header: without a proxy a client could forge its address.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # /metrics (volunteers.operations): scrapers from these addresses or networks, or bearing
    # METRICS_TOKEN, are let in; everyone else gets a 404. HAProxy refuses the path publicly.
    METRICS_ALLOWED_IPS = [a.strip() for a in os.environ.get("METRICS_ALLOWED_IPS", "127.0.0.1,::1").split(",")
                           if a.strip()]
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None

    # Nightly backups (volunteers.operations.jobs, 01:30 UTC): a copy of the database into
    # BACKUP_DIR (unset: none taken), the newest BACKUP_KEEP kept. Not per organisation: one file.
    BACKUP_DIR = os.environ.get("BACKUP_DIR") or None
    BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))

    # Sessions: signed cookies, so any number of stateless web workers.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Failed sign-ins, counted per account (the e-mail typed) and per IP address.
    # Redis in production ("redis://host:6379/0"), shared by every worker and
    # machine; memory in development (one process only).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")  # for a Redis shared with others
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    LOGIN_IP_RATE_LIMIT = os.environ.get("LOGIN_IP_RATE_LIMIT", "30 per minute;200 per hour")
    # Confirmation codes texted from /me/messages (each text costs money and lands on someone's phone):
    # per member, and per number whoever asks, in the same storage
    PHONE_CODE_RATE_LIMIT = os.environ.get("PHONE_CODE_RATE_LIMIT", "3 per 15 minutes;8 per day")
    PHONE_CODE_NUMBER_RATE_LIMIT = os.environ.get("PHONE_CODE_NUMBER_RATE_LIMIT", "3 per hour;5 per day")

    # Server-side cache of figures shared by a page's views (wellbeing/org_figures_cache.py): empty for
    # none, "memory://" for one process, "redis://host:6379/1" shared by every worker in production.
    CACHE_URL = os.environ.get("CACHE_URL", "")
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "volunteers:")

    # Uploads (spreadsheets to import): a larger request is refused with a 413 before it is read.
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024

    # Signed links: invitations last a week, password resets a day.
    INVITATION_MAX_AGE_S = 7 * 24 * 3600
    PASSWORD_RESET_MAX_AGE_S = 24 * 3600


class DevelopmentConfig(Config):
    """`make run`: debug on, mail printed to the console unless told otherwise."""

    DEBUG = True
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")


class TestingConfig(Config):
    """Tests: in-memory SQLite unless TEST_DATABASE_URL names another database."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SCHEDULER_ENABLED = False
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_BACKEND = "none"
    BASE_URL = None  # links follow the request (or the default below), whatever the shell says
    SERVER_NAME_FOR_LINKS = "http://127.0.0.1:5000"
    WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # the webhook tests' receiver listens on loopback


class ProductionConfig(Config):
    """Production: secure cookies; create_app refuses the development SECRET_KEY."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


def running_from_flask_cli() -> bool:
    """Tell whether this process is a `flask ...` command rather than a web server.

    Commands such as `load assess` must work on a machine with no SECRET_KEY
    set; the web server in production must not.
    """
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true"
