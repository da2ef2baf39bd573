"""One Redis key prefix for every rate-limit test of a run.

The app has one Flask-Limiter, and it keeps the first key prefix it is given
for the rest of the process: two test files with prefixes of their own would
find their keys under the other's prefix, depending on which ran first.
"""
from __future__ import annotations

import uuid

#: shared by tests/integration/test_auth_rate_limits.py and tests/api/test_rate_limit.py
KEY_PREFIX = f"volunteers-test-{uuid.uuid4().hex}"
