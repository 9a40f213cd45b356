from __future__ import annotations

from pathlib import Path

from bankchurn.config import Config
from bankchurn.data import CATEGORICAL, NUMERIC, make_dataset
from bankchurn.train import TrainResult, load_model, log_to_mlflow, save_model


def test_model_beats_chance_clearly(trained: TrainResult) -> None:
    assert trained.roc_auc > 0.7
    assert 0.5 < trained.accuracy <= 1.0


def test_saved_model_predicts_the_same(trained: TrainResult, tmp_path: Path) -> None:
    rows = make_dataset(50, seed=3)[NUMERIC + CATEGORICAL]
    loaded = load_model(save_model(trained.model, tmp_path / "m.joblib"))
    assert (loaded.predict_proba(rows) == trained.model.predict_proba(rows)).all()


def test_mlflow_logs_to_a_local_store(trained: TrainResult, config: Config, tmp_path: Path) -> None:
    import mlflow

    run_id = log_to_mlflow(trained, config, tmp_path / "mlruns")
    run = mlflow.get_run(run_id)
    assert run.data.metrics["roc_auc"] == trained.roc_auc
    assert run.data.params["C"] == str(config.C)
