"""Account planning (docs/kpis.md, "Account planning"): pure functions, DataFrames in and out."""
