"""A spreadsheet uploaded through a page: import it, or say line by line what is wrong with it.

The people and shifts import pages share this, so a coordinator gets the
same answer from both: every problem named by line and field, status 422,
and nothing imported (the request's unit of work rolls back on any 4xx).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from werkzeug.datastructures import FileStorage

from volunteers.core.csv_errors import CsvImportError

T = TypeVar("T")

#: the status of a page showing an upload's problems: the request was understood, the file cannot be imported
UNPROCESSABLE = 422


def import_upload(upload: FileStorage | None, run: Callable[[bytes, str], T]) -> tuple[T | None, list[str]]:
    """Return ``run(data, filename)``'s result and no problems, or ``None`` and the problems, one per line."""
    if upload is None or not upload.filename:
        return None, ["Choose a CSV file to import."]
    try:
        return run(upload.read(), upload.filename), []
    except CsvImportError as error:
        return None, str(error).splitlines()
