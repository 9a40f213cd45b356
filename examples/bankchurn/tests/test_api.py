from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from bankchurn.api import app

CUSTOMER = {
    "credit_score": 600,
    "age": 58,
    "tenure": 2,
    "balance": 120000.0,
    "num_products": 3,
    "has_cr_card": 1,
    "is_active_member": 0,
    "estimated_salary": 50000.0,
    "geography": "Germany",
    "gender": "Female",
}


def test_health() -> None:
    assert TestClient(app).get("/health").json()["status"] == "ok"


def test_predict_returns_a_probability(model_file: Path) -> None:
    body = TestClient(app).post("/predict", json=CUSTOMER).json()
    assert 0.0 <= body["churn_probability"] <= 1.0
    assert body["will_churn"] is (body["churn_probability"] >= 0.5)


def test_invalid_customer_is_rejected(model_file: Path) -> None:
    response = TestClient(app).post("/predict", json={**CUSTOMER, "geography": "Mars"})
    assert response.status_code == 422
