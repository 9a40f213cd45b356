from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bankchurn.config import Config, load_config
from bankchurn.train import TrainResult, train


@pytest.fixture(scope="session")
def config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    out = tmp_path_factory.mktemp("artifacts")
    return replace(load_config(), model_path=out / "model.joblib", mlruns=out / "mlruns")


@pytest.fixture(scope="session")
def trained(config: Config) -> TrainResult:
    return train(config)


@pytest.fixture
def model_file(trained: TrainResult, config: Config, monkeypatch: pytest.MonkeyPatch) -> Path:
    from bankchurn import api
    from bankchurn.train import save_model

    path = save_model(trained.model, config.model_path)
    monkeypatch.setenv("BANKCHURN_MODEL", str(path))
    api.get_model.cache_clear()
    return path
