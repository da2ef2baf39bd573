"""National size on PostgreSQL: 1,000 organisations, 200,000 volunteers, 5 million shifts, 20 million ledger entries.

Run: ``.venv/bin/python benchmarks/bench_national.py [--scale 0.01,1] [--runs 5] [--server URL] [--rebuild]``
(issue 19 part 6). For each scale (a fraction of the national size; 0.01 is
10 organisations, 2,000 volunteers, 50,000 shifts and 200,000 ledger
entries) it:

1. **generates** the data once into a private database of its own
   (``vol_national`` at full size, ``vol_national_1pc`` at 1/100, … on the
   server of ``--server``, default BENCH_DATABASE_URL's or 127.0.0.1): the
   real schema (``flask db upgrade``), then set-based SQL only —
   ``INSERT … SELECT`` over ``generate_series`` with a deterministic hash
   for every choice, no row built in Python. The three big tables (shifts,
   assignments, the ledger) are loaded with their secondary indexes and
   foreign keys dropped, which are then recreated exactly as the migrations
   made them (``pg_get_indexdef``/``pg_get_constraintdef``), so PostgreSQL
   checks every unique key and foreign key over the loaded rows in one pass.
   The ledger's append-only trigger stays on throughout (it guards UPDATE and
   DELETE; the load only inserts). Then ``ANALYZE``, and the Sunday-night full
   load scan of every organisation by the scheduler's own job, which writes
   the warnings and rechecks a real database would hold. The database is kept
   (its comment records what it holds); a later run only measures.
2. **measures** in-process, with the app's own functions (app and request
   context, median of ``--runs``): the coordinator's board week (the view's
   queries: ``board_view`` with its day pager, roles, sites), a volunteer's
   "my shifts" (``shifts_page``), one organisation's monthly report
   (``monthly_report``, a live draft), the nightly load scan of all
   organisations (``wellbeing.jobs.nightly_scan``, the scheduler's job, on
   the weekday nights after the full scan) and the network report across
   all organisations (``network_figures``) — each next to its raw SQL floor
   (hand-written SQL of the same rows or figures, fetched, no Python).

The per-organisation pages are measured on the same organisation at every
scale (organisations come in ten size classes, cycled; the measured one is
the first of the largest class, 835 members, so it is the same size at
1/100 and at full size): they should not grow with the database. The two
all-organisation figures grow with the number of organisations by nature;
their time per organisation should not. Each scale's figures are kept in
``benchmarks/out/national-<scale>.json``, so the growth column compares
with the other scale's last run. Prints only; no assertions.
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import psycopg  # noqa: E402

#: bump when the generated data changes: a kept database of another version is rebuilt
VERSION = 1
TZ = "Europe/London"
FULL = {"organisations": 1000, "people": 200_000, "shifts": 5_000_000, "ledger": 20_000_000}
#: members per organisation, cycled over the organisations (a village shop … a county programme); 2,300 per ten
SIZES = (25, 40, 60, 90, 120, 160, 220, 300, 450, 835)
#: the share of an organisation's members who also belong to another organisation
SHARED = 0.13
#: the share of members not active (paused, left): the last of each organisation's members
INACTIVE = 0.10
FIRST_DAY = date(2024, 12, 2)  # a Monday: two years of history …
LAST_DAY = date(2027, 1, 31)   # … and two months of rota ahead of NOW
DAYS = (LAST_DAY - FIRST_DAY).days + 1
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday morning
SUNDAY_NIGHT = datetime(2026, 11, 29, 2, 15, tzinfo=UTC)  # the weekly full scan (02:15 GMT)
REPORT_MONTH = (2026, 11)
PRIMES = (7919, 7907, 7901, 7883, 7879)
MODES = ("user_codelivery_professional_design", "full_coproduction", "community_codelivery_informal",
         "community_delivery_professional_plan", "community_delivery_coplanned", "self_organised")
#: the roles every organisation has, and which slot of ten shifts each takes: (name, intensity, on call,
#: site, local start, hours, slots)
ROLES = (
    ("Shop counter", 1.0, False, 0, time(9), 4, (0, 1, 2, 3)),
    ("Café", 1.0, False, 0, time(13), 3, (4, 5)),
    ("Helpline on call", 1.5, True, 1, time(18), 14, (6,)),
    ("Hospital ward visit", 1.5, False, 2, time(14), 2, (7, 8)),
    ("Driver", 1.0, False, 2, time(8), 3, (9,)),
)
SITES = ("Village hall", "Helpline (remote)", "Hospital")
BIG_TABLES = ("shifts", "assignments", "contributions")
RANDOM_PAGE_COST = 1.1
ACTIVE = "('assigned', 'confirmed', 'attended', 'no_show')"
HASH = "(({n})::bigint * 2654435761 + ({o})::bigint * 97531) %% 4294967296"


# -- the plan: sizes and id ranges per organisation, all derived from the scale ------------------------------
def plan(scale: float) -> list[dict[str, int]]:
    """Return one row per organisation: its size, active members, people, shifts and id offsets."""
    count = max(1, round(FULL["organisations"] * scale))
    sizes = [SIZES[k % len(SIZES)] for k in range(count)]
    shared = [math.floor(s * SHARED) if count > 1 else 0 for s in sizes]
    own = [s - sh for s, sh in zip(sizes, shared, strict=True)]
    people = sum(own)
    per_member = FULL["shifts"] / (FULL["organisations"] / len(SIZES) * sum(SIZES))
    rows, mstart, pstart, sstart = [], 0, 0, 0
    for k, size in enumerate(sizes):
        others = people - own[k]
        if shared[k] > others:  # too few people elsewhere to share (a tiny scale): all its own
            shared[k], own[k] = 0, size
        prime = next(p for p in PRIMES if others == 0 or math.gcd(p, others) == 1)
        shifts = round(size * per_member)
        rows.append({"o": k + 1, "size": size, "active": size - math.floor(size * INACTIVE), "own": own[k],
                     "shared": shared[k], "others": max(others, 1), "prime": prime, "mstart": mstart,
                     "pstart": pstart, "shifts": shifts, "sstart": sstart, "logged": 0})
        mstart, pstart, sstart = mstart + size, pstart + own[k], sstart + shifts
    return rows


def reference(rows: list[dict[str, int]]) -> int:
    """The organisation the per-organisation pages are measured on: the first of the largest size class."""
    return max(rows, key=lambda r: (r["size"], -r["o"]))["o"]


# -- the database ------------------------------------------------------------------------------------------
def server_url(given: str | None) -> str:
    """The server's URL without a database name (``postgresql://user@host:port``)."""
    url = given or os.environ.get("BENCH_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
    return url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]


def database_name(scale: float) -> str:
    return "vol_national" if scale == 1 else f"vol_national_{scale * 100:g}pc".replace(".", "_")


def scale_label(scale: float) -> str:
    return "full" if scale == 1 else f"1/{1 / scale:g}" if (1 / scale).is_integer() else f"{scale:g}"


def described(server: str, name: str) -> dict[str, Any] | None:
    """What the kept database holds (its comment), or None when there is none or it is not complete."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        row = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                           (name,)).fetchone()
    if row is None or not row[0]:
        return None
    try:
        found = json.loads(row[0])
    except ValueError:
        return None
    return found if found.get("version") == VERSION and found.get("complete") else None


def recreate(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        # SSD storage and a working set in memory, as docs/SCALING.md recommends for production: at the default
        # 4 the planner hash-joins every person (200,000 rows) into one organisation's report instead of probing
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = {RANDOM_PAGE_COST}')


def migrate(url: str, strict: bool = True) -> None:
    """The real schema: the migrations, as `flask db upgrade` runs them (not strict: a failure only warns)."""
    env = {**os.environ, "DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://")}
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "db", "upgrade", "heads"],
                          cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    if done.returncode != 0 and strict:
        sys.exit(f"flask db upgrade failed:\n{done.stderr[-2000:]}")
    if done.returncode != 0:
        print(f"  (flask db upgrade failed, measuring the schema as kept: {done.stderr.strip().splitlines()[-1]})")


def step(conn: psycopg.Connection, label: str, sql: str, params: dict[str, Any] | None = None) -> float:
    started = clock.perf_counter()
    cursor = conn.execute(sql, params)
    conn.commit()
    took = clock.perf_counter() - started
    rows = f"{cursor.rowcount:>11,} rows" if cursor.rowcount >= 0 else " " * 16
    print(f"    {label:<46} {rows} {took:7.1f} s", flush=True)
    return took


def secondary_schema(conn: psycopg.Connection) -> tuple[list[str], list[str]]:
    """Return (foreign keys, unique keys and indexes) on or into the big tables, as the DDL that recreates them.

    The primary keys stay: ids are inserted in ascending order, which appends to them.
    """
    tables = list(BIG_TABLES)
    fks = [f'ALTER TABLE "{t}" ADD CONSTRAINT "{n}" {d}' for t, n, d in conn.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE contype = 'f' AND (conrelid::regclass::text = ANY(%s) OR confrelid::regclass::text = ANY(%s))
           ORDER BY 1, 2""", (tables, tables))]
    uniques = [f'ALTER TABLE "{t}" ADD CONSTRAINT "{n}" {d}' for t, n, d in conn.execute(
        """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s) ORDER BY 1, 2""", (tables,))]
    indexes = [d for (d,) in conn.execute(
        """SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
           WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
           ORDER BY 1""", (tables,))]
    return fks, uniques + indexes


def drop_secondary(conn: psycopg.Connection) -> None:
    tables = list(BIG_TABLES)
    for t, n in conn.execute("""SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f'
            AND (conrelid::regclass::text = ANY(%s) OR confrelid::regclass::text = ANY(%s))""",
                             (tables, tables)).fetchall():
        conn.execute(f'ALTER TABLE "{t}" DROP CONSTRAINT "{n}"')
    for t, n in conn.execute("""SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'u'
            AND conrelid::regclass::text = ANY(%s)""", (tables,)).fetchall():
        conn.execute(f'ALTER TABLE "{t}" DROP CONSTRAINT "{n}"')
    for (n,) in conn.execute("""SELECT i.indexrelid::regclass::text FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary""", (tables,)).fetchall():
        conn.execute(f"DROP INDEX {n}")
    conn.commit()


def generate(server: str, name: str, scale: float) -> dict[str, Any]:
    """Build the database of one scale; return what it holds (also written as the database's comment)."""
    url = f"{server}/{name}"
    started = begun = clock.perf_counter()
    recreate(server, name)
    migrate(url)
    print(f"  {name}: created and migrated in {clock.perf_counter() - started:.1f} s", flush=True)
    rows = plan(scale)
    with psycopg.connect(url) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute("SET work_mem = '512MB'")
        conn.execute("""CREATE TEMP TABLE plan (o int PRIMARY KEY, size int, active int, own int, shared int,
            others int, prime int, mstart int, pstart int, shifts int, sstart int, logged int)""")
        with conn.cursor() as cur:
            cur.executemany("""INSERT INTO plan VALUES (%(o)s, %(size)s, %(active)s, %(own)s, %(shared)s,
                %(others)s, %(prime)s, %(mstart)s, %(pstart)s, %(shifts)s, %(sstart)s, %(logged)s)""", rows)
        conn.execute("""CREATE TEMP TABLE role_slots (slot int PRIMARY KEY, idx int, site int, starts time,
            hours int, on_call bool)""")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO role_slots VALUES (%s, %s, %s, %s, %s, %s)",
                            [(slot, k, role[3], role[4], role[5], role[2])
                             for k, role in enumerate(ROLES) for slot in role[6]])
        conn.commit()
        fks, indexes = secondary_schema(conn)
        drop_secondary(conn)
        p = {"now": NOW, "first": FIRST_DAY, "days": DAYS, "tz": TZ, "people": sum(r["own"] for r in rows)}
        step(conn, "organisations", """INSERT INTO organisations (id, slug, name, timezone, currency,
              coproduction_mode, settings, created_at)
            SELECT o, 'org-' || lpad(o::text, 4, '0'), 'Organisation ' || o, %(tz)s, 'GBP',
                   (ARRAY['""" + "','".join(MODES) + """'])[1 + o %% 6], '{}', %(now)s - interval '3 years'
            FROM plan""", p)
        step(conn, "people", """INSERT INTO people (id, email, name, active, created_at, session_version,
              phone_code_tries)
            SELECT n, 'p' || n || '@national.example',
                   (ARRAY['Ann','Ben','Cath','Dev','Eve','Femi','Gita','Hugh','Ines','Jo','Kwame','Lena','Mo',
                          'Nia','Owen','Priya','Rhys','Sian','Tom','Uma'])[1 + n %% 20] || ' ' ||
                   (ARRAY['Hartley','Bayliss','Charlton','Dodds','Evans','Fenwick','Gill','Hughes','Iqbal',
                          'Jones','Khan','Lewis','Morgan','Nash','Okafor','Patel','Quinn','Roberts','Shah',
                          'Taylor','Usman','Vaughan','Walsh','Young'])[1 + (n / 20) %% 24] || ' ' || n,
                   true, %(now)s - interval '3 years', 0, 0
            FROM generate_series(1, %(people)s) AS n""", p)
        step(conn, "sites", """INSERT INTO sites (id, organisation_id, name)
            SELECT (o - 1) * 3 + k + 1, o, (ARRAY['""" + "','".join(SITES) + """'])[k + 1]
            FROM plan, generate_series(0, 2) AS k""")
        step(conn, "roles", """INSERT INTO roles (id, organisation_id, name, intensity, on_call, priority)
            SELECT (o - 1) * 5 + k + 1, o, r.name, r.intensity, r.on_call, 1
            FROM plan, (VALUES """ + ", ".join(
            f"({k}, '{role[0]}', {role[1]}, {str(role[2]).lower()})" for k, role in enumerate(ROLES)) + """)
                AS r(k, name, intensity, on_call)""")
        # the first `shared` members of each organisation are people of other organisations (a person is
        # mapped into the others' range by a multiplier coprime with its length, so never twice, never its own)
        step(conn, "memberships", """INSERT INTO memberships (id, organisation_id, person_id, role, status,
              pledged_hours_per_week, joined_on, limits, preferences, no_show_count, created_at, left_on)
            SELECT mstart + i + 1, o,
                   CASE WHEN i < shared
                        THEN (pstart + own + ((o::bigint * 104729 + i::bigint * prime) %% others)) %% %(people)s + 1
                        ELSE pstart + (i - shared) + 1 END,
                   CASE i WHEN 0 THEN 'admin' WHEN 1 THEN 'coordinator' ELSE 'volunteer' END,
                   CASE WHEN i < active THEN 'active' WHEN i < active + (size - active) / 2 THEN 'paused'
                        ELSE 'left' END,
                   CASE WHEN i %% 4 = 3 THEN NULL ELSE 2 + i %% 7 END,
                   %(first)s::date - (i %% 700), '{}', '{}', 0, %(now)s - interval '2 years',
                   CASE WHEN i >= active + (size - active) / 2 THEN %(now)s::date - 30 END
            FROM plan, generate_series(0, size - 1) AS i""", p)
        step(conn, "shifts", f"""INSERT INTO shifts (id, organisation_id, role_id, site_id, starts_at, ends_at,
              local_date, needed, filled, status, published_at, created_at, updated_at)
            SELECT pl.sstart + g.n + 1, pl.o, (pl.o - 1) * 5 + r.idx + 1, (pl.o - 1) * 3 + r.site + 1,
                   t.st, t.st + make_interval(hours => r.hours), x.d, q.nd,
                   CASE WHEN t.st < %(now)s THEN q.nd - (CASE WHEN (x.h >> 4) %% 10 = 0 THEN 1 ELSE 0 END)
                        ELSE ((x.h >> 4) %% (q.nd + 1))::int END,
                   'planned', CASE WHEN t.st - interval '21 days' <= %(now)s THEN t.st - interval '21 days' END,
                   t.st - interval '30 days', t.st - interval '30 days'
            FROM plan pl
            CROSS JOIN LATERAL generate_series(0, pl.shifts - 1) AS g(n)
            CROSS JOIN LATERAL (SELECT {HASH.format(n='g.n', o='pl.o')} AS h,
                                       %(first)s::date + (g.n::bigint * %(days)s / pl.shifts)::int AS d) AS x
            JOIN role_slots r ON r.slot = g.n %% 10
            CROSS JOIN LATERAL (SELECT (x.d + r.starts) AT TIME ZONE %(tz)s AS st) AS t
            CROSS JOIN LATERAL (SELECT CASE WHEN r.on_call THEN 1 ELSE 1 + (x.h %% 3)::int END AS nd) AS q""", p)
        # places: `filled` distinct active members per shift, skewed towards each organisation's keenest
        # members (u^1.5: the keenest give a few shifts a week, most one a fortnight or less)
        step(conn, "assignments", f"""INSERT INTO assignments (organisation_id, shift_id, membership_id,
              status, source, sequence, created_at, updated_at, notified_at, notified_sequence)
            SELECT s.organisation_id, s.id, pl.mstart + 1 + (b.base + k.k) %% pl.active,
                   CASE WHEN s.starts_at < %(now)s
                        THEN CASE WHEN ((x.h >> 20) + k.k) %% 100 < 3 THEN 'no_show' ELSE 'attended' END
                        ELSE CASE WHEN ((x.h >> 20) + k.k) %% 2 = 0 THEN 'confirmed' ELSE 'assigned' END END,
                   (ARRAY['self', 'coordinator', 'auto'])[(1 + ((x.h >> 12) + k.k) %% 3)::int],
                   0, s.created_at, s.created_at, s.published_at, CASE WHEN s.published_at IS NOT NULL THEN 0 END
            FROM shifts s JOIN plan pl ON pl.o = s.organisation_id
            CROSS JOIN LATERAL (SELECT {HASH.format(n='s.id - pl.sstart - 1', o='pl.o')} AS h) AS x
            CROSS JOIN LATERAL (SELECT floor(pl.active * power(((x.h >> 8) %% 10007) / 10007.0::float8, 1.5))::int
                                AS base) AS b
            CROSS JOIN LATERAL generate_series(0, s.filled - 1) AS k(k)""", p)
        step(conn, "assignments cancelled (one in twenty shifts)", f"""INSERT INTO assignments (organisation_id,
              shift_id, membership_id, status, source, sequence, created_at, updated_at, cancelled_at)
            SELECT s.organisation_id, s.id, pl.mstart + 1 + (b.base + s.filled) %% pl.active, 'cancelled', 'self',
                   1, s.created_at, s.starts_at - interval '3 days', s.starts_at - interval '3 days'
            FROM shifts s JOIN plan pl ON pl.o = s.organisation_id
            CROSS JOIN LATERAL (SELECT {HASH.format(n='s.id - pl.sstart - 1', o='pl.o')} AS h) AS x
            CROSS JOIN LATERAL (SELECT floor(pl.active * power(((x.h >> 8) %% 10007) / 10007.0::float8, 1.5))::int
                                AS base) AS b
            WHERE (x.h >> 24) %% 20 = 0 AND s.starts_at - interval '3 days' < %(now)s""", p)
        step(conn, "ledger: attended places", """INSERT INTO contributions (organisation_id, membership_id,
              contributor_type, kind, stage, hours, amount, occurred_at, occurred_on, role_id, site_id,
              assignment_id, status, decided_at, recorded_at)
            SELECT a.organisation_id, a.membership_id, 'volunteer', 'time', 'delivery',
                   round(extract(epoch FROM s.ends_at - s.starts_at) / 3600, 2), 0, s.starts_at, s.local_date,
                   s.role_id, s.site_id, a.id, 'approved', least(s.ends_at + interval '1 hour', %(now)s),
                   least(s.ends_at + interval '1 hour', %(now)s)
            FROM assignments a JOIN shifts s ON s.id = a.shift_id
            WHERE a.status = 'attended'""", p)
        attended = conn.execute("SELECT count(*) FROM contributions").fetchone()[0]  # type: ignore[index]
        reversals = attended // 200
        logged = max(0, round(FULL["ledger"] * scale) - attended - reversals)
        total_size = sum(r["size"] for r in rows)
        conn.execute("UPDATE plan SET logged = round(%s::numeric * size / %s)", (logged, total_size))
        history = (NOW.date() - FIRST_DAY).days
        # self-logged hours, expertise, money and gifts; 3% from named groups; recent ones still pending
        step(conn, "ledger: logged entries and gifts", f"""INSERT INTO contributions (organisation_id,
              membership_id, contributor_name, contributor_type, kind, stage, hours, amount, occurred_at,
              occurred_on, status, decided_at, recorded_at, note)
            SELECT pl.o, CASE WHEN grp THEN NULL ELSE pl.mstart + 1 + floor(pl.active *
                         power(((x.h >> 8) %% 10007) / 10007.0::float8, 1.5))::int END,
                   CASE WHEN grp THEN 'Group ' || (x.h %% 20) END,
                   CASE WHEN grp THEN 'community_group' ELSE 'volunteer' END,
                   k.kind, (ARRAY['delivery', 'delivery', 'delivery', 'delivery', 'delivery', 'planning', 'design',
                                  'commissioning', 'management', 'monitoring', 'evaluation'])
                           [(1 + (x.h >> 16) %% 11)::int],
                   CASE WHEN k.kind IN ('time', 'expertise') THEN 0.5 + ((x.h >> 20) %% 23) * 0.25 ELSE 0 END,
                   CASE WHEN k.kind = 'money' THEN 5 + (x.h >> 20) %% 496
                        WHEN k.kind = 'in_kind' THEN 10 + (x.h >> 20) %% 191 ELSE 0 END,
                   (x.d + time '12:00') AT TIME ZONE %(tz)s, x.d, st.status,
                   CASE WHEN st.status <> 'pending'
                        THEN least((x.d + time '12:00') AT TIME ZONE %(tz)s + interval '3 days', %(now)s) END,
                   least((x.d + time '12:00') AT TIME ZONE %(tz)s + interval '1 day', %(now)s),
                   CASE WHEN (x.h >> 28) %% 4 = 0 THEN 'Logged by hand' END
            FROM plan pl
            CROSS JOIN LATERAL generate_series(0, pl.logged - 1) AS g(n)
            CROSS JOIN LATERAL (SELECT {HASH.format(n='g.n + 7', o='pl.o + 5000')} AS h,
                                       %(first)s::date + (g.n::bigint * {history} / pl.logged)::int AS d) AS x
            CROSS JOIN LATERAL (SELECT (x.h >> 4) %% 100 < 3 AS grp) AS gr
            CROSS JOIN LATERAL (SELECT CASE WHEN (x.h >> 4) %% 100 < 70 THEN 'time'
                                            WHEN (x.h >> 4) %% 100 < 80 THEN 'expertise'
                                            WHEN (x.h >> 4) %% 100 < 92 THEN 'money'
                                            ELSE 'in_kind' END AS kind) AS k
            CROSS JOIN LATERAL (SELECT CASE WHEN x.d > %(now)s::date - 14 AND (x.h >> 12) %% 10 < 6 THEN 'pending'
                                            WHEN (x.h >> 12) %% 25 = 0 THEN 'rejected'
                                            ELSE 'approved' END AS status) AS st""", p)
        step(conn, "ledger: reversals (one attended place in 200)", """INSERT INTO contributions (organisation_id,
              membership_id, contributor_type, kind, stage, hours, amount, occurred_at, occurred_on, role_id,
              site_id, assignment_id, reverses_id, status, decided_at, recorded_at, note)
            SELECT organisation_id, membership_id, contributor_type, kind, stage, -hours, -amount, occurred_at,
                   occurred_on, role_id, site_id, assignment_id, id, 'approved',
                   least(decided_at + interval '7 days', %(now)s), least(decided_at + interval '7 days', %(now)s),
                   'Recorded in error'
            FROM contributions WHERE assignment_id IS NOT NULL AND id %% 200 = 0""", p)
        for table in ("organisations", "people", "sites", "roles", "memberships", "shifts", "assignments",
                      "contributions"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
        started = clock.perf_counter()
        for ddl in indexes:
            conn.execute(ddl)
            conn.commit()
        print(f"    {'unique keys and indexes recreated':<46} {len(indexes):>11} ddl  "
              f"{clock.perf_counter() - started:7.1f} s", flush=True)
        started = clock.perf_counter()
        for ddl in fks:  # each checks every row it covers in one pass
            conn.execute(ddl)
            conn.commit()
        print(f"    {'foreign keys recreated and checked':<46} {len(fks):>11} ddl  "
              f"{clock.perf_counter() - started:7.1f} s", flush=True)
        conn.autocommit = True
        step(conn, "VACUUM ANALYZE", "VACUUM ANALYZE")
        conn.autocommit = False
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                  for t in ("organisations", "people", "memberships", "shifts", "assignments", "contributions")}
    built = clock.perf_counter() - begun
    scan_took = sunday_scan(url)
    info = {"version": VERSION, "scale": scale, "complete": True, "counts": counts,
            "generated_s": round(built, 1), "sunday_scan_s": scan_took}
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{json.dumps(info)}'")
    return info


# -- measuring, in-process ---------------------------------------------------------------------------------
def make_app(url: str) -> Any:
    from config import TestingConfig  # noqa: PLC0415
    from volunteers.app import create_app  # noqa: PLC0415

    return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url.replace("postgresql://", "postgresql+psycopg://"))


def sunday_scan(url: str) -> float:
    """The weekly full scan of every organisation, by the scheduler's job: warnings and rechecks as kept."""
    from sqlalchemy import text  # noqa: PLC0415

    from volunteers.extensions import db  # noqa: PLC0415
    from volunteers.wellbeing import jobs  # noqa: PLC0415

    app = make_app(url)
    with app.app_context():
        started = clock.perf_counter()
        done = jobs.nightly_scan(SUNDAY_NIGHT)
        took = clock.perf_counter() - started
        people = sum(r.people for r in done.values())
        print(f"    {'Sunday full load scan (scheduler job)':<46} {people:>11,} ppl  {took:7.1f} s", flush=True)
        db.session.execute(text("ANALYZE load_warnings, load_rechecks, job_runs"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return round(took, 1)


def timed(func: Callable[[], Any], runs: int) -> tuple[float, list[float]]:
    """Median seconds of ``runs`` calls after one warm-up call; and all of them."""
    func()
    times = []
    for _ in range(runs):
        started = clock.perf_counter()
        func()
        times.append(clock.perf_counter() - started)
    return statistics.median(times), times


def measure(url: str, scale: float, runs: int, heavy_runs: int, heavy: bool = True) -> dict[str, Any]:
    """Time each page and its floor on one database; return name → {time, floor, rows}."""
    from bench_report import raw_params, raw_queries  # noqa: PLC0415
    from sqlalchemy import bindparam, select, text  # noqa: PLC0415

    from volunteers.core.models import JobRun, Organisation, UTCDateTime  # noqa: PLC0415
    from volunteers.core.timeutil import Month, local_to_utc  # noqa: PLC0415
    from volunteers.extensions import db  # noqa: PLC0415
    from volunteers.people.models import Membership, Person  # noqa: PLC0415
    from volunteers.reports.network import network_figures  # noqa: PLC0415
    from volunteers.reports.services import monthly_report  # noqa: PLC0415
    from volunteers.rota import queries  # noqa: PLC0415
    from volunteers.rota.board_views import DayPager  # noqa: PLC0415
    from volunteers.selfservice.me_pages import PAST_DAYS, shifts_page  # noqa: PLC0415
    from volunteers.wellbeing import jobs  # noqa: PLC0415

    def raw(sql: str, params: dict[str, Any]) -> Callable[[], int]:
        instants = [bindparam(k, type_=UTCDateTime()) for k, v in params.items() if isinstance(v, datetime)]
        stmt = text(sql).bindparams(*instants) if instants else text(sql)

        def run() -> int:
            fetched = len(db.session.execute(stmt, params).all())
            db.session.rollback()
            return fetched
        return run

    results: dict[str, Any] = {}
    org_id = reference(plan(scale))
    today = NOW.date()
    week_start = today - timedelta(days=today.weekday())
    app = make_app(url)
    with app.app_context(), app.test_request_context(f"/rota?week={week_start}&day={today}"):
        org = db.session.get(Organisation, org_id)
        assert org is not None
        coordinator = db.session.scalars(select(Membership).where(Membership.organisation_id == org_id,
                                                                  Membership.role == "coordinator")).one()
        # the member of the measured organisation with the most places ahead, preferring one of several
        # organisations ("my shifts" lists them all)
        person_id = db.session.execute(text(f"""SELECT m.person_id FROM memberships m
            JOIN assignments a ON a.organisation_id = m.organisation_id AND a.membership_id = m.id
            WHERE m.organisation_id = :org AND m.status = 'active' AND a.status IN {ACTIVE}
            GROUP BY m.person_id
            ORDER BY (SELECT count(*) FROM memberships o WHERE o.person_id = m.person_id AND o.status = 'active')
                     DESC, count(*) DESC, m.person_id LIMIT 1"""), {"org": org_id}).scalar_one()
        person = db.session.get(Person, person_id)
        memberships = list(db.session.scalars(select(Membership).where(Membership.person_id == person_id,
                                                                       Membership.status == "active")))
        for m in memberships:
            m.organisation  # noqa: B018 - loaded once, as the signed-in request holds them
        db.session.expunge_all()
        db.session.add_all([org, coordinator, person, *memberships])

        def keep() -> None:
            db.session.rollback()

        # the board week, as the view runs it (the day pager names the people of one day when the week is large)
        def board() -> int:
            view = queries.board_view(org, "week", week_start, queries.BoardFilter(),
                                      named_days=DayPager(org, week_start, today), viewer=coordinator)
            queries.roles(org), queries.sites(org, coordinator)
            keep()
            return len(view.items)

        lo = local_to_utc(week_start, time(0), TZ)
        hi = local_to_utc(week_start + timedelta(days=7), time(0), TZ)
        day_lo, day_hi = local_to_utc(today, time(0), TZ), local_to_utc(today + timedelta(days=1), time(0), TZ)
        board_floor = [raw("""SELECT s.id, s.starts_at, s.ends_at, s.local_date, r.name, si.name, s.needed, s.filled
            FROM shifts s JOIN roles r ON r.organisation_id = s.organisation_id AND r.id = s.role_id
            JOIN sites si ON si.organisation_id = s.organisation_id AND si.id = s.site_id
            WHERE s.organisation_id = :org AND s.starts_at >= :lo AND s.starts_at < :hi AND s.status = 'planned'
            ORDER BY s.starts_at, s.id""", {"org": org_id, "lo": lo, "hi": hi}),
                       raw(f"""SELECT a.shift_id, p.name FROM shifts s
            JOIN assignments a ON a.organisation_id = s.organisation_id AND a.shift_id = s.id
            JOIN memberships m ON m.organisation_id = a.organisation_id AND m.id = a.membership_id
            JOIN people p ON p.id = m.person_id
            WHERE s.organisation_id = :org AND s.starts_at >= :lo AND s.starts_at < :hi AND s.status = 'planned'
              AND a.status IN {ACTIVE} ORDER BY a.shift_id, p.name""", {"org": org_id, "lo": day_lo, "hi": day_hi})]
        results["board week"] = pair(board, lambda: sum(f() for f in board_floor), runs)

        since = NOW - timedelta(days=PAST_DAYS)

        def mine() -> int:
            page = shifts_page(person, memberships, NOW)
            keep()
            return len(page["upcoming"]) + len(page["past"])

        mine_floor = raw(f"""SELECT a.id, a.status, s.starts_at, s.ends_at, r.name, si.name, si.address
            FROM memberships m JOIN assignments a ON a.organisation_id = m.organisation_id AND a.membership_id = m.id
            JOIN shifts s ON s.organisation_id = a.organisation_id AND s.id = a.shift_id
            JOIN roles r ON r.organisation_id = s.organisation_id AND r.id = s.role_id
            JOIN sites si ON si.organisation_id = s.organisation_id AND si.id = s.site_id
            WHERE m.person_id = :person AND s.starts_at >= :since AND a.status IN {ACTIVE}
            ORDER BY s.starts_at, a.id""", {"person": person_id, "since": since})
        results["my shifts"] = pair(mine, mine_floor, runs)

        month = Month(*REPORT_MONTH)

        def report() -> int:
            size = len(monthly_report(org, month, NOW).text)
            keep()
            return size

        weeks, params = raw_params(month, org_id, NOW, TZ)
        statements = [raw(sql, {k: v for k, v in params.items() if f":{k}" in sql}) for sql in raw_queries(weeks)]
        results["monthly report"] = pair(report, lambda: sum(f() for f in statements), runs)

        if not heavy:  # the per-organisation pages only (--pages-only)
            sizes = {name: int(rows) for name, rows in db.session.execute(text(
                "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND pg_table_is_visible(oid)")).all()}
            db.session.rollback()
            for name, func in (("board week", board), ("my shifts", mine), ("monthly report", report)):
                results[name]["plans"] = plan_findings(db, func, sizes)
            db.session.remove()
            db.engine.dispose()
            return results

        everyone = list(db.session.scalars(select(Organisation).order_by(Organisation.id)))

        def network() -> int:
            figures = network_figures(everyone, month, NOW)
            keep()
            return len(figures["organisations"])

        m_lo, m_hi = month.bounds(TZ)
        network_floor = [raw("""SELECT c.organisation_id, c.kind, c.stage, c.contributor_type,
                   SUM(c.hours), SUM(c.amount), COUNT(DISTINCT c.membership_id)
            FROM contributions c WHERE c.status = 'approved' AND c.decided_at <= :now
              AND c.occurred_at >= :lo AND c.occurred_at < :hi GROUP BY 1, 2, 3, 4""",
                             {"now": NOW, "lo": m_lo, "hi": m_hi}),
                         raw("""SELECT s.organisation_id, SUM(s.needed), SUM(s.filled),
                   SUM((SELECT COUNT(*) FROM assignments a WHERE a.organisation_id = s.organisation_id
                        AND a.shift_id = s.id AND a.status = 'no_show'))
            FROM shifts s WHERE s.status = 'planned' AND s.starts_at >= :lo AND s.starts_at < :hi GROUP BY 1""",
                             {"lo": m_lo, "hi": m_hi})]
        results["network report"] = pair(network, lambda: sum(f() for f in network_floor), heavy_runs, warm=False)

        # the nightly scan of all organisations: the scheduler's job on the weekday nights after the full scan
        # the nights after the last one scanned (the Sunday's full scan at first), Sundays left out: each run
        # judges the people whose recheck came due since, as the scheduler's job does each night
        last = max((date.fromisoformat(key.rsplit(":", 1)[1]) for key in db.session.scalars(
            select(JobRun.key).where(JobRun.job == "wellbeing.nightly_scan"))), default=SUNDAY_NIGHT.date())
        db.session.rollback()
        nights = (datetime.combine(last + timedelta(days=k), SUNDAY_NIGHT.timetz()) for k in itertools.count(1)
                  if (last + timedelta(days=k)).weekday() != 6)

        def nightly() -> int:
            done = jobs.nightly_scan(next(nights))
            return sum(r.people for r in done.values())

        scan_floor = raw("""SELECT a.organisation_id, a.membership_id,
                   SUM(CASE WHEN s.starts_at >= :d7 THEN EXTRACT(EPOCH FROM s.ends_at - s.starts_at) / 3600
                       ELSE 0 END),
                   SUM(EXTRACT(EPOCH FROM s.ends_at - s.starts_at) / 3600)
            FROM assignments a JOIN shifts s ON s.id = a.shift_id AND s.organisation_id = a.organisation_id
            WHERE a.status NOT IN ('cancelled', 'no_show') AND s.status != 'cancelled'
              AND s.starts_at >= :d28 AND s.starts_at < :now
            GROUP BY a.organisation_id, a.membership_id""",
                         {"now": NOW, "d7": NOW - timedelta(days=7), "d28": NOW - timedelta(days=28)})
        results["nightly scan, all orgs"] = pair(nightly, scan_floor, heavy_runs, warm=False)

        sizes = {name: int(rows) for name, rows in db.session.execute(text(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND pg_table_is_visible(oid)")).all()}
        db.session.rollback()
        for name, func in (("board week", board), ("my shifts", mine), ("monthly report", report),
                           ("nightly scan, all orgs", nightly)):
            results[name]["plans"] = plan_findings(db, func, sizes)
        db.session.remove()
        db.engine.dispose()
    return results


def _nodes(node: dict[str, Any]) -> Any:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def plan_findings(db: Any, page: Callable[[], int], sizes: dict[str, int], big: int = 20_000) -> list[str]:
    """Run ``page`` once capturing its SELECTs; EXPLAIN ANALYZE each distinct one; return what reads too much.

    Flags a sequential scan of a table over ``big`` rows (every statement measured serves one organisation
    or one person, so reading a whole large table grows with the database), any
    scan whose loops read more than twice its table (the rules of tests/integration/test_page_plans.py, at
    a size where they matter), and a scan reading over 500 pages and 20 per row it returns (an index
    searched by a column that does not lead it).
    """
    from sqlalchemy import event  # noqa: PLC0415

    seen: dict[str, Any] = {}

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.setdefault(statement, parameters)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        page()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    found = []
    with db.engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        for statement, parameters in seen.items():
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)
            top = cursor.fetchone()[0][0]
            for node in _nodes(top["Plan"]):
                table = node.get("Relation Name")
                if table is None:
                    continue
                removed = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
                read = (node["Actual Rows"] + removed) * node["Actual Loops"]
                kept = node["Actual Rows"] * node["Actual Loops"]
                size = sizes.get(table, 0)
                # every statement here serves one organisation (or one person): reading all of a large table,
                # filtered or joined away after, grows with the database (a hash join over every person)
                wasted = node["Node Type"] == "Seq Scan" and size > big
                looped = read > 2 * max(size, 1) and read > big
                # an index scan on a column that does not lead its index reads the whole index: many pages
                # for a few rows, which no row count shows (leaf scans' buffers are their own)
                pages = node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)
                unled = ("Scan" in node["Node Type"] and not node.get("Plans") and node["Actual Loops"] == 1
                         and pages > max(500, 20 * (kept + 1)))
                if wasted or looped or unled:
                    what = f"{pages:,} pages" if unled else f"{read:,.0f}"
                    found.append(f"{node['Node Type']} on {table} ({size:,} rows): read {what}, kept {kept:,.0f} "
                                 f"in {node['Actual Loops']} loops, {top['Execution Time']:.1f} ms — "
                                 f"{' '.join(statement.split())[:160]}")
        cursor.close()
        conn.rollback()
    return found


def pair(page: Callable[[], int], floor: Callable[[], int], runs: int, warm: bool = True) -> dict[str, Any]:
    """Time a page and its floor, turn about; return both medians and what each returned.

    ``warm``: one untimed call of each first (the all-organisation figures, a minute a call at full size,
    run cold-free enough after the pages before them: no warm-up).
    """
    page_times: list[float] = []
    floor_times: list[float] = []
    shown, fetched = (page(), floor()) if warm else (0, 0)
    for _ in range(runs):
        started = clock.perf_counter()
        shown = page()  # the last run's (the nightly scan judges other people each night)
        page_times.append(clock.perf_counter() - started)
        started = clock.perf_counter()
        fetched = floor()
        floor_times.append(clock.perf_counter() - started)
    return {"time": statistics.median(page_times), "floor": statistics.median(floor_times),
            "times": page_times, "floors": floor_times, "shown": shown, "floor_rows": fetched}


def database_size(server: str, name: str) -> int:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        return int(conn.execute("SELECT pg_database_size(%s)", (name,)).fetchone()[0])  # type: ignore[index]


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="0.01,1", help="fractions of the national size, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each page and floor (median)")
    parser.add_argument("--heavy-runs", type=int, default=2, help="timed runs of the all-organisation figures")
    parser.add_argument("--server", help="PostgreSQL server URL (default: BENCH_DATABASE_URL's, or 127.0.0.1)")
    parser.add_argument("--rebuild", action="store_true", help="generate again even if the database is kept")
    parser.add_argument("--generate-only", action="store_true", help="build the databases, measure nothing")
    parser.add_argument("--pages-only", action="store_true",
                        help="measure the per-organisation pages only; keep the all-organisation figures of the "
                             "last run (minutes at full size)")
    args = parser.parse_args()
    server = server_url(args.server)
    try:
        psycopg.connect(f"{server}/postgres", connect_timeout=5).close()
    except psycopg.OperationalError as error:
        print(f"skipped: no PostgreSQL server at {server} ({error}); set BENCH_DATABASE_URL")
        return
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    for scale in [float(s) for s in args.scale.split(",") if s.strip()]:
        name, label = database_name(scale), scale_label(scale)
        info = None if args.rebuild else described(server, name)
        target = {k: round(v * scale) for k, v in FULL.items()}
        print(f"\n== {label} of national size ({target['organisations']:,} organisations, {target['people']:,} people, "
              f"{target['shifts']:,} shifts, {target['ledger']:,} ledger entries): database {name}", flush=True)
        if info is None:
            print(f"  generating (load {load_average()})", flush=True)
            info = generate(server, name, scale)
        else:
            print(f"  kept from an earlier run (generated in {info['generated_s']} s); migrations brought up to date")
            migrate(f"{server}/{name}", strict=False)  # an index added since lands on the kept data too
        size = database_size(server, name)
        counts = info["counts"]
        with psycopg.connect(f"{server}/{name}") as conn:
            cost = conn.execute("SHOW random_page_cost").fetchone()[0]  # type: ignore[index]
        print(f"  holds: {', '.join(f'{v:,} {k}' for k, v in counts.items())}; {size / 1e9:.2f} GB on disk; "
              f"Sunday full load scan {info['sunday_scan_s']} s; random_page_cost {cost}", flush=True)
        if args.generate_only:
            continue
        print(f"  measuring (load {load_average()}) …", flush=True)
        results = measure(f"{server}/{name}", scale, args.runs, args.heavy_runs, heavy=not args.pages_only)
        saved = out / f"national-{label.replace('/', '_')}.json"
        if args.pages_only and saved.exists():
            results = {**json.loads(saved.read_text())["results"], **results}
        record = {"scale": scale, "label": label, "database": name, "bytes": size, "counts": counts,
                  "sunday_scan_s": info["sunday_scan_s"], "generated_s": info["generated_s"],
                  "random_page_cost": cost, "load": load_average(),
                  "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                  "results": results}
        saved.write_text(json.dumps(record, indent=1))
        print_table(record, out)


def print_table(record: dict[str, Any], out: Path) -> None:
    """The figures of one scale, with the growth from (or to) the other scale's last run."""
    others = {}
    for path in out.glob("national-*.json"):
        other = json.loads(path.read_text())
        if other["scale"] != record["scale"]:
            others[other["scale"]] = other
    small = record if record["scale"] < 1 else others.get(0.01, others.get(min(others, default=0)))
    large = record if record["scale"] == 1 else others.get(1.0)
    orgs = record["counts"]["organisations"]
    print(f"\n  {record['label']}: {orgs:,} organisations (load {record['load']})")
    print(f"  {'page':<24} {'time ms':>10} {'floor ms':>10} {'ratio':>7} {'per org ms':>11} {'rows':>15} "
          f"{'growth':>22}")
    for page, r in record["results"].items():
        per_org = f"{r['time'] * 1000 / orgs:>11.2f}" if "all orgs" in page or "network" in page else " " * 11
        growth = ""
        if small and large and small is not large and page in small["results"] and page in large["results"]:
            a, b = small["results"][page], large["results"][page]
            growth = f"{b['time'] / a['time']:.1f}× (floor {b['floor'] / a['floor']:.1f}×)"
        rows = f"{r['shown']:,}/{r['floor_rows']:,}"
        print(f"  {page:<24} {r['time'] * 1000:>10.1f} {r['floor'] * 1000:>10.1f} {r['time'] / r['floor']:>7.2f}"
              f" {per_org} {rows:>15} {growth:>22}")
    print("  rows: what the page shows (cards, places, report bytes, organisations, people judged) / the floor's rows")
    for page, r in record["results"].items():
        for finding in r.get("plans", []):
            print(f"  plan of {page}: {finding}")
    if not any(r.get("plans") for r in record["results"].values()):
        print("  plans: no statement of the pages scans a large table wastefully or loops over one")
    if small and large and small is not large:
        print(f"  growth: {small['label']} → {large['label']} (data ×"
              f"{large['counts']['contributions'] / small['counts']['contributions']:.0f}; the per-organisation pages "
              "read one organisation of the same size at both)")


if __name__ == "__main__":
    main()
