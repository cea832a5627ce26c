"""The account-manager scorecard of each region: one row per owner, and a total row equal to the region.

Rows are keyed by (region, owner) — an owner who holds accounts in two regions appears in
each with that region's accounts only — through the same roll-up as every KPI.  An
opportunity counts for its own owner, within the region of its account, so the owner rows of
a region add up to the region: the total row is computed from the owner rows' summed
components, not copied from the region.
"""

from __future__ import annotations

import pandas as pd

from kamreport.kpi.base import KpiContext
from kamreport.kpi.engine import evaluate, level_components

SCORECARD_KPIS: tuple[str, ...] = (
    "revenue",
    "revenue_target",
    "attainment",
    "growth_yoy",
    "share_of_wallet",
    "share_of_wallet_target",
    "frequency_attainment",
    "frequency_attainment_target",
    "gross_margin",
    "gross_margin_target",
    "fill_rate",
    "fill_rate_target",
    "pipeline_amount",
    "next_quarter_target",
    "pipeline_coverage",
    "forecast_accuracy",
    "key_accounts",
    "account_managers",
    "key_accounts_per_owner",
)
SCORECARD_COLUMNS: tuple[str, ...] = ("region", "owner", "total", *SCORECARD_KPIS, "kam_capacity")
_SEP = "\x1f"
# Taken per key, not summed: recounted for the total row from the owner rows.
_PER_KEY = ("account_managers", "promo_lead_days_median")


def owner_scorecard(ctx: KpiContext, components: pd.DataFrame, kam_capacity: int) -> pd.DataFrame:
    """The run's period per (region, owner), then one ``total`` row per region (columns :data:`SCORECARD_COLUMNS`).

    Parameters
    ----------
    ctx
        The KPI context of the run (its next-quarter targets set).
    components
        The accounts' components (:func:`kamreport.kpi.engine.account_components`).
    kam_capacity
        ``planning.kam_capacity``: key accounts one manager can serve.
    """
    accounts = ctx.accounts.set_index("account_id")
    region = accounts["region"].astype("string")
    keys = (region + _SEP + accounts["owner"].astype("string")).dropna()
    keys.index = keys.index.astype("string")

    def opportunity_key(rows: pd.DataFrame) -> pd.Series:
        return rows["account_id"].map(region).astype("string") + _SEP + rows["owner"].astype("string")

    current = components.index.get_level_values("period") == str(ctx.current)
    summed = level_components(ctx, components[current], keys, opportunity_key, medians=False)
    summed = summed[summed.index.get_level_values("period") == str(ctx.current)]
    split = summed.index.get_level_values("key").str.split(_SEP, n=1)
    region_of = pd.Index([parts[0] for parts in split], name="key")
    by = [summed.index.get_level_values("period"), region_of]
    by_region = summed.drop(columns=list(_PER_KEY)).groupby(by).sum(min_count=1)
    by_region["account_managers"] = summed["account_managers"].groupby(by).sum()
    # one evaluation for owners and totals (owner keys hold the separator, region keys do not)
    both = evaluate(pd.concat([summed, by_region]), ctx.params)[list(SCORECARD_KPIS)]
    values = both.iloc[: len(summed)].reset_index(drop=True)
    totals = both.iloc[len(summed) :]
    rows = values.assign(region=list(region_of), owner=[parts[1] for parts in split], total=False)
    total_rows = totals.reset_index(drop=True).assign(
        region=list(totals.index.get_level_values("key")), owner=None, total=True
    )
    frame = pd.concat([rows, total_rows], ignore_index=True)
    frame["kam_capacity"] = float(kam_capacity)
    frame["owner"] = frame["owner"].astype("string")
    frame["region"] = frame["region"].astype("string")
    return frame.sort_values(["region", "total", "owner"], kind="stable", ignore_index=True)[list(SCORECARD_COLUMNS)]
