"""Fixtures for the web tests: an app of their own on a temporary diary, and a test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from upperback.web import WebSettings, create_app


@pytest.fixture
def settings(tmp_path: Path) -> WebSettings:
    """Settings for a throwaway app: its own diary file and a fixed key."""
    return WebSettings(
        db_url=f"sqlite:///{tmp_path / 'diary.db'}", secret_key="test-secret", testing=True
    )


@pytest.fixture
def app(settings: WebSettings) -> FastAPI:
    """A fresh app."""
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client for the fresh app (its store is closed afterwards)."""
    with TestClient(app) as test_client:
        yield test_client
