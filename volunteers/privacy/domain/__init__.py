"""The privacy rules as plain data and functions: no Flask, no database, ``now`` passed in."""
