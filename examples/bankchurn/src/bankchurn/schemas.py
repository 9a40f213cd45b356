"""Request and response models of the API (pydantic v2)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Customer(BaseModel):
    credit_score: float = Field(ge=300, le=900)
    age: float = Field(ge=18, le=120)
    tenure: int = Field(ge=0, le=50)
    balance: float = Field(ge=0)
    num_products: int = Field(ge=1, le=10)
    has_cr_card: int = Field(ge=0, le=1)
    is_active_member: int = Field(ge=0, le=1)
    estimated_salary: float = Field(ge=0)
    geography: Literal["France", "Germany", "Spain"]
    gender: Literal["Female", "Male"]


class Prediction(BaseModel):
    churn_probability: float
    will_churn: bool
