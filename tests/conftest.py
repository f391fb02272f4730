"""Shared fixtures for the whole suite."""

from __future__ import annotations

import pytest

import upperback
from upperback.knowledge_base import KnowledgeBase


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The bundled knowledge base."""
    return upperback.load_knowledge()
