"""Opportunity value score — the twenty questions (docs/kpis.md, "Opportunity value score")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamreport.contract import QUESTIONS
from kamreport.params import FunnelParams, OpportunityParams

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "score_opportunity": QUESTIONS[0:5],
    "score_compete": QUESTIONS[5:10],
    "score_win": QUESTIONS[10:15],
    "score_worth": QUESTIONS[15:20],
}


def score(opportunities: pd.DataFrame, params: OpportunityParams, funnel: FunnelParams) -> pd.DataFrame:
    """The opportunities with their score, sub-scores, missing answers, flag and weighted amount.

    A missing answer counts 0 and is counted in ``answers_missing``.
    """
    frame = opportunities.copy()
    answers = frame[list(QUESTIONS)].astype("boolean")
    for name, questions in DIMENSIONS.items():
        frame[name] = answers[list(questions)].fillna(False).astype("int64").sum(axis=1)
    frame["score"] = frame[list(DIMENSIONS)].sum(axis=1)
    frame["answers_missing"] = answers.isna().sum(axis=1).astype("int64")
    frame["high_value"] = frame["score"] > params.high_value_min_score
    probability = np.asarray(funnel.stage_probability)[frame["stage"].astype(int).to_numpy() - 1]
    frame["probability"] = np.where(
        frame["status"] == "open", probability, np.where(frame["status"] == "won", 1.0, 0.0)
    )
    frame["weighted_amount"] = frame["amount"] * frame["probability"]
    return frame
