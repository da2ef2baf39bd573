"""Pure ledger arithmetic: money rounding and valuing hours by the rate card (no Flask, no database)."""
