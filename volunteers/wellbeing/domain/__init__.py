"""The load rules as pure domain code: stdlib and zoneinfo only, time passed in.

Modules: ``policy`` (thresholds), ``duties`` (shifts, duties, weighted
hours), ``timeline`` (one person prepared for the rules), ``windows`` and
``scan`` (sliding windows and episodes), ``window_rules`` and
``duty_rules`` (the rules), ``rules`` (the registry), ``figures``
(organisation figures), ``assess`` (typed and JSON entry points).
"""
