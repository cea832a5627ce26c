"""The scale benchmark of issue 9: kamreport against an analyst's notebooks, per dataset size.

``benchmarks/run.py`` is the command; the modules here are its parts: ``datasets`` (demo data
and params files), ``memory`` (RSS sampling of a process tree, per-stage peaks), ``kam`` (the
kamreport side, run in a child process), ``baseline`` (papermill notebooks that re-read the
CSV exports), ``child`` (run a side in a child process while sampling it), ``figures``
(statistics, targets, tables, JSON).
"""
