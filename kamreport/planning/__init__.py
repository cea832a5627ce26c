"""Account planning (KPI_DEFINITIONS §4): pure functions, DataFrames in and out."""
