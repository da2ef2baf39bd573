"""Pure people logic: spreadsheet parsing, no Flask or database."""
