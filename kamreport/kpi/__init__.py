"""The KPI engine (docs/kpis.md): one module per indicator family and the roll-up."""
