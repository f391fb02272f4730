"""The package's lazy exports: what it has loads on first use; anything else is named."""

from __future__ import annotations

import pytest

import upperback


def test_the_package_names_what_it_does_not_have() -> None:
    with pytest.raises(AttributeError, match=r"module 'upperback' has no attribute 'nothing'"):
        upperback.nothing  # noqa: B018
    assert "assess" in dir(upperback)
