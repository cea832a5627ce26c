"""The KPI engine (KPI_DEFINITIONS §2–3): one module per indicator family and the roll-up."""
