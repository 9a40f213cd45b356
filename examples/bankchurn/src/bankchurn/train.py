"""Train, evaluate, save, and (optionally) log to a local MLflow store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import joblib
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from bankchurn.config import Config
from bankchurn.data import CATEGORICAL, NUMERIC, TARGET, make_dataset


@dataclass(frozen=True)
class TrainResult:
    model: Pipeline
    roc_auc: float
    accuracy: float


def build_pipeline(config: Config) -> Pipeline:
    features = ColumnTransformer(
        [
            ("numeric", StandardScaler(), NUMERIC),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ]
    )
    model = LogisticRegression(C=config.C, max_iter=config.max_iter)
    return Pipeline([("features", features), ("model", model)])


def train(config: Config, data: pd.DataFrame | None = None) -> TrainResult:
    frame = data if data is not None else make_dataset(config.rows, config.seed)
    x_train, x_test, y_train, y_test = train_test_split(
        frame[NUMERIC + CATEGORICAL],
        frame[TARGET],
        test_size=config.test_size,
        random_state=config.seed,
        stratify=frame[TARGET],
    )
    pipeline = build_pipeline(config).fit(x_train, y_train)
    scores = pipeline.predict_proba(x_test)[:, 1]
    return TrainResult(
        model=pipeline,
        roc_auc=float(roc_auc_score(y_test, scores)),
        accuracy=float(accuracy_score(y_test, pipeline.predict(x_test))),
    )


def save_model(model: Pipeline, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)
    return path


def load_model(path: Path) -> Pipeline:
    model: Pipeline = joblib.load(path)
    return model


def log_to_mlflow(result: TrainResult, config: Config, tracking_dir: Path) -> str:
    """Log params and metrics to a local SQLite store; never contacts a server."""
    import mlflow  # slow to import: only when logging is asked for

    tracking_dir.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(f"sqlite:///{(tracking_dir / 'mlflow.db').resolve()}")
    mlflow.set_experiment("bankchurn")
    with mlflow.start_run() as run:
        mlflow.log_params({"C": config.C, "max_iter": config.max_iter, "rows": config.rows})
        mlflow.log_metrics({"roc_auc": result.roc_auc, "accuracy": result.accuracy})
        return str(run.info.run_id)
