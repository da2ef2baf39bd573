"""Micro-benchmark of prospective load judging, as the shift panel calls it (issue 13).

Finds the shift of ``profile_page.py``'s ``shift_panel`` page in the demo
file, the candidates the panel judges for it (captured from
``autofill.ranking.candidate_list``), and times, per view:

* ``whole``: ``wellbeing.prospective_warnings_for`` (reads, schedules, judging);
* ``judge``: ``domain.prospect.judge_added`` over the same schedules, the pure part.

    .venv/bin/python benchmarks/bench_judging.py --db /tmp/team/demo-copy.sqlite -n 200
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from profile_page import _shift_url, serving_app  # noqa: E402
from sqlalchemy import select  # noqa: E402

from volunteers.autofill import ranking  # noqa: E402
from volunteers.core.models import Organisation  # noqa: E402
from volunteers.core.timeutil import utcnow  # noqa: E402
from volunteers.extensions import db  # noqa: E402
from volunteers.rota.models import Shift  # noqa: E402
from volunteers.wellbeing import prospective  # noqa: E402
from volunteers.wellbeing.domain.prospect import judge_added  # noqa: E402
from volunteers.wellbeing.load_sources import extra_load  # noqa: E402
from volunteers.wellbeing.schedules import iter_places, org_policy, org_zone, policy_for, schedule_of  # noqa: E402


def _best(run, n: int, rounds: int = 5) -> float:
    """Return the best of ``rounds`` means of ``n`` calls, in ms."""
    means = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            run()
        means.append((time.process_time() - started) * 1000 / n)
    return min(means)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a copy of the demo SQLite file")
    parser.add_argument("-n", type=int, default=100, help="views per round (default 100)")
    parser.add_argument("--dump", type=Path, help="also pickle the schedules judged here, for judge_bench.py")
    args = parser.parse_args()
    # profile_page.serving_app took the file's path before it took a database URL
    import inspect as _inspect
    takes_url = "database" in _inspect.signature(serving_app).parameters
    app = serving_app(f"sqlite:///{args.db}" if takes_url else args.db, True)
    shift_id = int(_shift_url(app).rsplit("/", 1)[1])
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == "tackley"))
        shift = db.session.get(Shift, shift_id)
        now = utcnow()
        captured = {}
        original = ranking.would_be_warnings_for

        def capture(org, people, shifts, now):  # type: ignore[no-untyped-def]
            captured["people"] = people
            return original(org, people, shifts, now)

        ranking.would_be_warnings_for = capture
        try:
            ranking.candidate_list(org, shift, now)
        finally:
            ranking.would_be_warnings_for = original
        people = captured["people"]
        spans = prospective._spans(org, [shift])
        since = min(s.start for s in spans) - prospective.HISTORY_BEFORE
        until = max(s.end for s in spans) + prospective.AHEAD_AFTER
        held: dict[int, list] = {m.id: [] for m in people}
        for row in iter_places(org, list(held), since, until):
            if row.shift_id != shift.id:
                held[row.membership_id].append(row.span())
        extra = extra_load(org, list(held), since, until)
        tz, base = org_zone(org), org_policy(org)
        schedules = [(schedule_of(m, held[m.id], extra=extra.get(m.id)), policy_for(org, m, base=base))
                     for m in people]
        sizes = [len(s.shifts) for s, _ in schedules]
        print(f"shift {shift_id}: {len(people)} candidates, {sum(sizes)} places judged "
              f"(median {statistics.median(sizes) if sizes else 0})")

        if args.dump:
            import pickle

            args.dump.write_bytes(pickle.dumps({"schedules": [(s, p.to_dict()) for s, p in schedules],
                                                "spans": spans, "now": now, "tz": tz}))

        def whole() -> None:
            prospective.prospective_warnings_for(org, people, [shift], now)

        def judge() -> None:
            for schedule, policy in schedules:
                judge_added(schedule, spans, now, tz, policy)

        found = prospective.prospective_warnings_for(org, people, [shift], now)
        print(f"warnings: {sum(len(w) for w in found.values())}")
        print(f"whole  {_best(whole, args.n):7.3f} ms/view")
        print(f"judge  {_best(judge, args.n):7.3f} ms/view")


if __name__ == "__main__":
    main()
