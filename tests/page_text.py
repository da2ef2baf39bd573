"""What differs between two draws of the same page and is masked when pages are compared: the request's CSRF
token (form inputs, the head's meta, htmx's header) and when the page top was made."""
from __future__ import annotations

import re

#: the CSRF token where a page writes it
TOKENS = re.compile(r'(?<=csrf_token" value=")[^"]+|(?<=csrf-token" content=")[^"]+|(?<="X-CSRFToken": ")[^"]+')
#: when the page top was made (the instant and the rest of its tag)
MADE_AT = re.compile(r'(?<=rendered-at" content=")[^"]+"[^>]*')
