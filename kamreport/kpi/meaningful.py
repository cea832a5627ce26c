"""Whether a ratio is meaningful: its base (registry ``Kpi.base``) must reach a minimum.

A growth of 4,194 % over last year's 200 of revenue, or a −284 % contribution margin on 900
of revenue, is arithmetic, not information.  Each ratio KPI declares the KPI id it is taken
over; where that base is below ``kpi.min_base_revenue`` (amounts) or ``kpi.min_base_units``
(quantities) reports show the value as *not meaningful*.  ``kpis.csv`` and the results keep
the exact value: this is a presentation rule, applied by the report through these functions.
"""

from __future__ import annotations

import pandas as pd

from kamreport.params import KpiParams
from kamreport.registry import KPI_BY_ID


def min_base(kpi: str, params: KpiParams) -> float | None:
    """The smallest base at which ``kpi`` is meaningful, or ``None`` when it has no base."""
    base = KPI_BY_ID[kpi].base
    if base is None:
        return None
    return params.min_base_units if KPI_BY_ID[base].unit == "quantity" else params.min_base_revenue


def meaningful(table: pd.DataFrame, params: KpiParams) -> pd.DataFrame:
    """For a key × KPI-id table (e.g. ``Results.kpi_table``): True where each value may be shown.

    A value is not meaningful where its KPI has a base and the base is missing or below
    the minimum; a missing value stays True (it is shown as missing, not as not meaningful).
    Columns whose base is not in ``table`` are True.
    """
    mask = pd.DataFrame(True, index=table.index, columns=table.columns)
    for kpi in table.columns:
        if kpi not in KPI_BY_ID:
            continue
        floor = min_base(kpi, params)
        base = KPI_BY_ID[kpi].base
        if floor is None or base is None or base not in table:
            continue
        small = ~(table[base].astype("float64") >= floor)
        mask[kpi] = ~(small & table[kpi].notna())
    return mask


def is_meaningful(kpi: str, values: pd.Series, params: KpiParams) -> bool:
    """Whether ``values[kpi]`` may be shown, ``values`` being one key's KPIs (e.g. ``View.kpis()``)."""
    row = pd.DataFrame([values.astype("float64")])
    return bool(meaningful(row, params)[kpi].iloc[0]) if kpi in row else True
