"""The organisation's settings page: one place where a coordinator tunes what the other packages read.

Nothing here owns a setting. Each lives where it is used — the load policy
in ``Organisation.settings["load_policy"]`` (wellbeing), the notice and
reminder hours and swap approval (selfservice), the retention periods
(privacy, peer support), the rate card and stand-by share (contributions)
— and is checked with that package's own rules before it is written. This
package gathers them into forms, writes a section all at once or not at
all, and records every change in the audit trail.
"""
