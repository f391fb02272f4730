"""Every page: it loads, it is built from the knowledge base, and its JSON twin matches."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import pytest
from fastapi.testclient import TestClient

from upperback import KnowledgeBase, load_knowledge

KB = load_knowledge()
GUIDE_PAGES = (
    ["/", "/sources", "/about", "/check", "/check/emergency", "/timer", "/timer?kind=heat",
     "/diary", "/data/delete"]
    + [f"/causes/{c}" for c in KB.causes]
    + [f"/relief/{m}" for m in KB.relief]
)
HOME_BUDGET = 100 * 1024


def unescape_text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def twin_of(page: str) -> str:
    found = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', page)
    assert found, "the page names no JSON twin"
    return html.unescape(found.group(1))


@pytest.mark.parametrize("path", GUIDE_PAGES)
def test_every_page_loads_and_names_a_json_twin(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    if path != "/data/delete":
        assert client.get(twin_of(response.text)).status_code == 200


def test_every_question_page_loads(client: TestClient) -> None:
    first = client.get("/check/next")
    assert first.status_code == 200
    assert client.get(twin_of(first.text)).json()["text"] in html.unescape(first.text)


def test_a_result_page_and_its_twin_load(client: TestClient) -> None:
    saved = client.post("/api/v1/checks", json={"answers": {"age": 40}}).json()
    page = client.get(f"/result/{saved['id']}")
    assert page.status_code == 200
    assert client.get(twin_of(page.text)).json() == client.get(
        f"/api/v1/checks/{saved['id']}").json()


@pytest.mark.parametrize("path", ["/causes/unknown", "/relief/unknown", "/result/999",
                                  "/no/such/page", "/timer?kind=steam"])
def test_a_missing_page_is_a_404_page_in_plain_words(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in response.text


def test_the_home_page_shows_when_to_get_help_and_every_cause_and_method(
    client: TestClient, kb: KnowledgeBase
) -> None:
    shown = unescape_text(client.get("/").text)
    twin = client.get("/api/v1/knowledge").json()
    assert twin["get_help_now"]["action"] in shown
    for item in twin["come_back_if"]:
        assert item in shown
    for cause in twin["causes"]:
        assert cause["name"] in shown and cause["summary"] in shown
    for method in twin["relief"]:
        assert method["name"] in shown and method["summary"] in shown
    assert len(twin["causes"]) == len(kb.causes)


@pytest.mark.parametrize("cause_id", list(KB.causes))
def test_a_cause_page_matches_its_twin(client: TestClient, cause_id: str) -> None:
    shown = unescape_text(client.get(f"/causes/{cause_id}").text)
    twin = client.get(f"/api/v1/knowledge/causes/{cause_id}").json()
    for text in [twin["name"], twin["summary"], twin["feels_like"], twin["when_to_get_help"],
                 *twin["what_to_do"], *[s["title"] for s in twin["sources"]]]:
        assert text in shown


@pytest.mark.parametrize("method_id", list(KB.relief))
def test_a_relief_page_matches_its_twin(client: TestClient, method_id: str) -> None:
    shown = unescape_text(client.get(f"/relief/{method_id}").text)
    twin = client.get(f"/api/v1/knowledge/relief/{method_id}").json()
    for text in [twin["name"], twin["summary"], *twin["how_to"], *twin["safety"],
                 *([twin["repeat"]] if twin["repeat"] else []),
                 *twin["not_for"], *[s["title"] for s in twin["sources"]]]:
        assert text in shown


def test_the_sources_page_lists_every_source(client: TestClient, kb: KnowledgeBase) -> None:
    page = client.get("/sources").text
    for source in kb.sources.values():
        assert str(source.url) in page


def test_the_timer_page_shows_the_barrier_reminder_the_limit_and_the_usual_length(
    client: TestClient, kb: KnowledgeBase
) -> None:
    for kind, method_id in [("ice", "ice_pack"), ("heat", "heat_pack")]:
        page = client.get(f"/timer?kind={kind}").text
        method = kb.relief[method_id]
        assert all(html.escape(rule) in page for rule in method.safety)
        assert f'max="{method.max_minutes}"' in page
        assert f'value="{method.default_minutes}"' in page
        assert method.repeat and html.escape(method.repeat) in page


def test_the_about_page_says_where_the_data_is(client: TestClient) -> None:
    about = client.get("/api/v1/about").json()
    assert about["database"] in client.get("/about").text


def test_the_home_page_with_its_assets_weighs_under_100_kb(client: TestClient) -> None:
    page = client.get("/")
    total = len(page.content)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
    assert assets, "the home page should load its stylesheet and script"
    for asset in assets:
        total += len(client.get(html.unescape(asset)).content)
    assert total < HOME_BUDGET, f"{total} bytes"


@pytest.mark.parametrize("path", ["/", "/check", "/diary", "/timer", "/causes/poor_posture"])
def test_pages_load_nothing_from_another_origin(client: TestClient, path: str) -> None:
    page = client.get(path).text
    loaded = re.findall(r'<(?:script|img|iframe|source)[^>]*\ssrc="([^"]+)"', page)
    loaded += re.findall(r'<link[^>]*\shref="([^"]+)"', page)
    for url in loaded:
        assert urljoin("http://testserver/", url).startswith("http://testserver/"), url


@pytest.mark.parametrize("path", ["/", "/check", "/diary", "/timer", "/about",
                                  "/check/emergency"])
def test_pages_have_no_inline_script_or_style(client: TestClient, path: str) -> None:
    page = client.get(path).text
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"


def test_static_files_are_served_with_a_long_cache(client: TestClient) -> None:
    page = client.get("/").text
    css = re.search(r'href="(/static/app\.css\?v=[0-9a-f]+)"', page)
    assert css
    response = client.get(html.unescape(css.group(1)))
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]


def test_templates_hold_no_medical_text(kb: KnowledgeBase) -> None:
    from importlib import resources

    folder = resources.files("upperback.web").joinpath("templates")
    templates = " ".join(f.read_text("utf-8") for f in folder.iterdir()
                         if f.name.endswith(".html"))
    for cause in kb.causes.values():
        assert cause.name not in templates
    for method in kb.relief.values():
        assert method.name not in templates
        assert not any(rule in templates for rule in method.safety)
