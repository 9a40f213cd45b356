"""A synthetic bank-churn data set, generated deterministically."""

from __future__ import annotations

import numpy as np
import pandas as pd

NUMERIC = [
    "credit_score",
    "age",
    "tenure",
    "balance",
    "num_products",
    "has_cr_card",
    "is_active_member",
    "estimated_salary",
]
CATEGORICAL = ["geography", "gender"]
TARGET = "churned"


def make_dataset(rows: int = 2000, seed: int = 42) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "credit_score": rng.normal(650, 95, rows).clip(350, 850).round(),
            "age": rng.normal(39, 10, rows).clip(18, 92).round(),
            "tenure": rng.integers(0, 11, rows),
            "balance": np.where(rng.random(rows) < 0.35, 0.0, rng.normal(97_000, 30_000, rows).clip(0)),
            "num_products": rng.choice([1, 2, 3, 4], rows, p=[0.5, 0.45, 0.04, 0.01]),
            "has_cr_card": rng.integers(0, 2, rows),
            "is_active_member": rng.integers(0, 2, rows),
            "estimated_salary": rng.uniform(10_000, 200_000, rows).round(2),
            "geography": rng.choice(["France", "Germany", "Spain"], rows, p=[0.5, 0.25, 0.25]),
            "gender": rng.choice(["Female", "Male"], rows),
        }
    )
    # Churn grows with age, inactivity, many products and a German address.
    logit = (
        -2.0
        + 0.12 * (frame["age"] - 39)
        - 1.6 * frame["is_active_member"]
        + 2.0 * (frame["num_products"] >= 3)
        + 1.2 * (frame["geography"] == "Germany")
        + 0.5 * (frame["gender"] == "Female")
        - 0.004 * (frame["credit_score"] - 650)
        + 0.000006 * frame["balance"]
    )
    probability = 1 / (1 + np.exp(-logit))
    frame[TARGET] = (rng.random(rows) < probability).astype(int)
    return frame
