"""Settings read from configs/config.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "configs" / "config.yaml"


@dataclass(frozen=True)
class Config:
    rows: int
    seed: int
    test_size: float
    C: float
    max_iter: int
    model_path: Path
    mlruns: Path


def load_config(path: Path = DEFAULT_CONFIG) -> Config:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    base = path.resolve().parent.parent
    return Config(
        rows=int(raw["data"]["rows"]),
        seed=int(raw["data"]["seed"]),
        test_size=float(raw["data"]["test_size"]),
        C=float(raw["model"]["C"]),
        max_iter=int(raw["model"]["max_iter"]),
        model_path=base / raw["paths"]["model"],
        mlruns=base / raw["paths"]["mlruns"],
    )
