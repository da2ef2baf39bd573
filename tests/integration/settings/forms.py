"""The load-policy form as a browser would post it: every rule's switch and numbers."""
from __future__ import annotations

from typing import Any

from volunteers.wellbeing import DEFAULT_POLICY


def load_form(action: str = "save", **changed: Any) -> dict[str, str]:
    """Return the default policy's fields (``rule-key``), with ``changed`` (``weekly_load__warning=12``) applied."""
    form = {}
    for rule, values in DEFAULT_POLICY.items():
        for key, value in values.items():
            if key == "enabled":
                if value:
                    form[f"{rule}-enabled"] = "y"
            else:
                form[f"{rule}-{key}"] = "" if value is None else f"{float(value):g}"
    for name, value in changed.items():
        rule, key = name.split("__")
        if key == "enabled":
            form.pop(f"{rule}-enabled", None) if not value else form.update({f"{rule}-enabled": "y"})
        else:
            form[f"{rule}-{key}"] = str(value)
    form["action"] = action
    return form
