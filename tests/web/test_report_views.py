"""The clinician report on the web: the form, its period, a name and birth date that never
go in a link, and bad values shown again with what to change."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from .flows import csrf_token

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="needs pdftotext (poppler-utils)")


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def post_report(client: TestClient, **fields: str) -> object:
    token = csrf_token(client.get("/diary/report").text)
    return client.post("/diary/report.pdf", data={"csrf_token": token, **fields})


def test_the_report_form_offers_the_last_30_days_and_optional_name_and_birth_date(
    client: TestClient,
) -> None:
    page = client.get("/diary/report")
    assert page.status_code == 200
    today = date.today()
    assert f'name="to" value="{today.isoformat()}"' in page.text
    assert f'name="from" value="{(today - timedelta(days=29)).isoformat()}"' in page.text
    assert 'name="name"' in page.text and 'name="born"' in page.text
    assert 'method="post" action="/diary/report.pdf"' in page.text
    assert 'href="/diary/report"' in client.get("/diary").text


@needs_pdftotext
def test_the_form_prints_the_name_and_birth_date_on_the_report(
    client: TestClient, tmp_path: Path
) -> None:
    client.post("/api/v1/diary/entries", json={"pain": 6})
    response = post_report(client, name="Sam Lee", born="1982-04-02")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/pdf"  # type: ignore[attr-defined]
    text = pdf_text(response.content, tmp_path)  # type: ignore[attr-defined]
    assert "Name: Sam Lee Born: 1982-04-02" in text
    assert "Period: " in text and "(30 days)" in text


@needs_pdftotext
def test_a_chosen_period_leaves_out_what_came_before_it(
    client: TestClient, tmp_path: Path
) -> None:
    old = (datetime.now(UTC) - timedelta(days=60)).isoformat()
    client.post("/api/v1/diary/entries", json={"pain": 9, "created_at": old})
    client.post("/api/v1/diary/entries", json={"pain": 3})
    first = (date.today() - timedelta(days=6)).isoformat()
    response = client.get(f"/diary/report.pdf?from={first}")
    assert response.status_code == 200
    name = f"upperback-report-{first}-to-{date.today().isoformat()}.pdf"
    assert f'filename="{name}"' in response.headers["content-disposition"]
    text = pdf_text(response.content, tmp_path)
    assert f"Period: {first} to {date.today().isoformat()} (7 days)" in text
    assert "1 entries" in text or "1 entry" in text or "First 3, latest 3" in text
    assert "highest 9" not in text


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"from": "2026-02-30"}, "Give the first day as a date"),
        ({"from": "2026-11-20", "to": "2026-11-01"}, "on or before the last day"),
        ({"born": "tomorrow"}, "Give the date of birth as a date"),
        ({"name": "x" * 101}, "Keep the name under 100 characters"),
    ],
)
def test_a_bad_value_shows_the_form_again_with_what_to_change(
    client: TestClient, fields: dict[str, str], says: str
) -> None:
    response = post_report(client, **fields)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert says in response.text  # type: ignore[attr-defined]
    assert 'aria-invalid="true"' in response.text  # type: ignore[attr-defined]
    for value in fields.values():  # what was typed is kept
        assert f'value="{value}"' in response.text  # type: ignore[attr-defined]


def test_a_bad_period_in_the_link_shows_the_form_not_an_error(client: TestClient) -> None:
    response = client.get("/diary/report.pdf?to=soon")
    assert response.status_code == 422
    assert "Give the last day as a date" in response.text


def test_the_report_form_needs_its_token(client: TestClient) -> None:
    response = client.post("/diary/report.pdf", data={"name": "Sam"})
    assert response.status_code == 403
