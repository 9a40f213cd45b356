"""FastAPI service: GET /health, POST /predict."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd
from fastapi import FastAPI
from sklearn.pipeline import Pipeline

from bankchurn import __version__
from bankchurn.config import load_config
from bankchurn.schemas import Customer, Prediction
from bankchurn.train import load_model, save_model, train

app = FastAPI(title="bankchurn", version=__version__)


@lru_cache(maxsize=1)
def get_model() -> Pipeline:
    """The model at $BANKCHURN_MODEL or the configured path; trained on first use."""
    config = load_config()
    path = Path(os.environ.get("BANKCHURN_MODEL", config.model_path))
    if not path.exists():
        save_model(train(config).model, path)
    return load_model(path)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@app.post("/predict", response_model=Prediction)
def predict(customer: Customer) -> Prediction:
    frame = pd.DataFrame([customer.model_dump()])
    probability = float(get_model().predict_proba(frame)[0, 1])
    return Prediction(churn_probability=probability, will_churn=probability >= 0.5)
