"""Pure peer-support rules: the contact plan, what is due, the month's figures (no Flask, no database)."""
