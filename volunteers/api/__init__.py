"""The JSON API at ``/api/v1``: personal access tokens, problem+json errors, an OpenAPI document.

``blueprint.py`` lists every URL rule; one module per resource (``me``,
``shifts``, ``reports``) holds thin views over the same services the pages
use; ``auth``, ``errors``, ``paging`` and ``caching`` are what every call shares.
"""
