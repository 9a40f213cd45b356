from __future__ import annotations

from bankchurn.data import CATEGORICAL, NUMERIC, TARGET, make_dataset


def test_dataset_has_every_column_and_both_classes() -> None:
    frame = make_dataset(500, seed=1)
    assert list(frame.columns) == NUMERIC + CATEGORICAL + [TARGET]
    assert len(frame) == 500
    assert set(frame[TARGET].unique()) == {0, 1}


def test_dataset_is_deterministic() -> None:
    assert make_dataset(300, seed=7).equals(make_dataset(300, seed=7))
    assert not make_dataset(300, seed=7).equals(make_dataset(300, seed=8))
