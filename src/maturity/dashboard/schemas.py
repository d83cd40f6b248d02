"""Request bodies of the dashboard's write endpoints."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DeploymentIn(BaseModel):
    """A deployment recorded through the API or the form."""

    component: str = Field(min_length=1, max_length=255)
    environment: str = Field(pattern="^(staging|production)$")
    version: str = Field(min_length=1, max_length=255)
    status: str = Field(default="success", pattern="^(success|failed|rolled-back)$")
    actor: str = Field(default="dashboard", max_length=255)
