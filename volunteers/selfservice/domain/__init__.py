"""Pure self-service time rules (no Flask, no database, ``now`` passed in)."""
