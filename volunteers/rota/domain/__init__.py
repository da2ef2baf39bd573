"""Pure rota logic: recurrence, eligibility and the roles and shifts CSV (no Flask, no database)."""
