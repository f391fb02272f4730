"""Writes are capped per address and per diary (429 with Retry-After, nothing saved); reads,
the check and deleting your data never are."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from upperback.web import WebSettings, create_app
from upperback.web.errors import ApiError
from upperback.web.settings import write_caps
from upperback.web.write_limits import MAX_BUCKETS, TokenBuckets, WriteLimits

from .flows import csrf_token


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_one_write_per_refill() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("a") == pytest.approx(20.0)
    assert buckets.take("b") == 0  # another key has its own bucket
    clock.now = 20.0
    assert buckets.take("a") == 0


def test_the_number_of_buckets_stays_bounded() -> None:
    buckets = TokenBuckets(per_minute=1, clock=Clock())
    for number in range(MAX_BUCKETS + 50):
        buckets.take(str(number))
    assert len(buckets._buckets) == MAX_BUCKETS


def test_the_diary_cap_holds_across_addresses() -> None:
    limits = WriteLimits(per_address=10, per_diary=2, clock=Clock())
    limits.check("10.0.0.1")
    limits.check("10.0.0.2")
    with pytest.raises(ApiError) as refused:
        limits.check("10.0.0.3")
    assert (refused.value.status, refused.value.code) == (429, "too_many_writes")
    assert "diary" in refused.value.message
    assert refused.value.headers["Retry-After"] == "30"


@pytest.fixture
def capped(tmp_path: Path) -> TestClient:
    settings = WebSettings(db_url=f"sqlite:///{tmp_path / 'diary.db'}", secret_key="k",
                           testing=True, writes_per_minute=3, diary_writes_per_minute=100)
    return TestClient(create_app(settings))


def test_the_api_answers_429_in_the_error_shape_and_saves_nothing_more(
    capped: TestClient,
) -> None:
    with capped:
        for _ in range(3):
            assert capped.post("/api/v1/diary/entries", json={"pain": 2}).status_code == 201
        refused = capped.post("/api/v1/timers", json={"kind": "ice", "planned_minutes": 10,
                                                        "seconds": 600, "completed": True})
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "too_many_writes"
        assert int(refused.headers["Retry-After"]) >= 1
        assert "X-Content-Type-Options" in refused.headers
        assert capped.get("/api/v1/timers").json() == []
        assert len(capped.get("/api/v1/diary/entries").json()) == 3
        # Reads, the assessment and deleting everything are never capped.
        assert capped.post("/api/v1/assess", json={"answers": {}}).status_code == 200
        assert capped.delete("/api/v1/data").status_code == 200


def test_the_diary_form_answers_a_plain_page_when_capped(capped: TestClient) -> None:
    with capped:
        for _ in range(3):
            capped.post("/api/v1/diary/entries", json={"pain": 2})
        token = csrf_token(capped.get("/diary").text)
        refused = capped.post("/diary/entries", data={"pain": "4", "csrf_token": token})
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("text/html")
        assert "Wait" in refused.text and "nothing was saved" in refused.text


@pytest.mark.parametrize(("given", "caps"), [
    (None, {"writes_per_minute": 60, "diary_writes_per_minute": 120}),
    ("0", {"writes_per_minute": None, "diary_writes_per_minute": None}),
    (10, {"writes_per_minute": 10, "diary_writes_per_minute": 20}),
])
def test_one_setting_gives_both_caps(given: int | str | None, caps: dict[str, int]) -> None:
    assert write_caps(given) == caps


@pytest.mark.parametrize("given", ["-1", "ten", "100001", "1.5"])
def test_a_cap_that_is_not_a_whole_number_in_range_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="whole number from 0"):
        write_caps(given)
