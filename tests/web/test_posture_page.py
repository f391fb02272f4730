"""The posture check page: what it says, its headers (WebAssembly and the camera on this page
only), and the vendored pose model and runtime (served with a content hash, packaged, with
their licence, the same bytes scripts/vendor-pose-model makes)."""

from __future__ import annotations

import fnmatch
import hashlib
import re
import tomllib
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from upperback.web.security import CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src/upperback"
VENDOR = PACKAGE / "web/static/vendor/mediapipe"


def test_the_page_says_nothing_leaves_it_and_works_only_with_javascript(
    client: TestClient,
) -> None:
    page = client.get("/posture")
    assert page.status_code == 200
    html = page.text
    assert "Your picture stays on this page" in html
    assert "No picture, video or measure is sent anywhere" in html
    assert "It works offline." in html
    assert "This check needs JavaScript and a camera." in html
    assert re.search(r"<section [^>]*data-posture hidden", html)  # shown by the script
    assert re.search(r'<script type="module" src="/static/posture\.js\?v=[0-9a-f]{12}">', html)
    assert '<option value="30" selected>30 seconds</option>' in html
    assert '<option value="10" selected>10 minutes</option>' in html
    assert '<a href="/exercise/chin_tuck">How to do chin tucks</a>' in html


def test_only_the_posture_page_may_compile_webassembly_and_use_the_camera(
    client: TestClient,
) -> None:
    posture = client.get("/posture").headers
    policy = posture["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY.replace(
        "script-src 'self';", "script-src 'self' 'wasm-unsafe-eval';")
    assert "'unsafe-eval'" not in policy and "blob:" not in policy and "worker-src" not in policy
    assert posture["permissions-policy"].startswith("camera=(self), microphone=()")
    for other in ("/", "/breaks", "/posture/", "/static/posture.js"):
        headers = client.get(other, follow_redirects=False).headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, other
        assert headers["permissions-policy"].startswith("camera=()"), other


def test_the_runtime_and_model_are_served_from_the_package_with_a_content_hash(
    client: TestClient,
) -> None:
    html = client.get("/posture").text
    kinds = {"bundle": "text/javascript", "loader": "text/javascript",
             "wasm": "application/wasm", "model": None}
    for name, kind in kinds.items():
        found = re.search(rf'data-{name}="(/static/vendor/mediapipe/[^"?]+\?v=[0-9a-f]{{12}})"',
                          html)
        assert found, name
        answer = client.get(found.group(1))
        assert answer.status_code == 200, name
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
        if kind:
            assert answer.headers["content-type"].startswith(kind), name


def test_the_vendored_files_are_the_ones_the_script_makes() -> None:
    sums = (VENDOR / "SHA256SUMS").read_text().split("\n")
    listed = dict(reversed(line.split("  ")) for line in sums if line)
    assert set(listed) == {"vision_bundle.mjs", "vision_wasm_internal.js",
                           "vision_wasm_internal.wasm", "pose_landmarker_lite.task"}
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert (ROOT / "scripts/vendor-pose-model").stat().st_mode & 0o111


def test_the_model_bundle_holds_both_models_uncompressed_with_their_metadata() -> None:
    with zipfile.ZipFile(VENDOR / "pose_landmarker_lite.task") as bundle:
        assert sorted(bundle.namelist()) == ["pose_detector.tflite",
                                             "pose_landmarks_detector.tflite"]
        for info in bundle.infolist():
            # Stored, so the runtime can read each model in place; TFLite with metadata.
            assert info.compress_type == zipfile.ZIP_STORED
            model = bundle.read(info)
            assert model[4:8] == b"TFL3"
            assert b"TFLITE_METADATA" in model


@pytest.mark.parametrize("name", ["LICENSES.md", "LICENSE-Apache-2.0.txt"])
def test_the_vendored_files_carry_their_licence(name: str) -> None:
    text = (VENDOR / name).read_text()
    assert "Apache License" in text
    readme = (ROOT / "README.md").read_text()
    assert "Third-party files" in readme and "Apache-2.0" in readme


def test_every_vendored_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["upperback"]
    for path in VENDOR.iterdir():
        relative = path.relative_to(PACKAGE).as_posix()
        assert any(fnmatch.fnmatch(relative, p) and relative.count("/") == p.count("/")
                   for p in patterns), relative


@pytest.mark.parametrize("path", ["/posture", "/breaks"])
def test_the_posture_and_break_pages_have_no_inline_script_or_style(
    client: TestClient, path: str
) -> None:
    page = client.get(path).text
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", page)
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"\son[a-z]+=", page), "inline event handler"
    loaded = re.findall(r'\s(?:src|data-bundle|data-loader|data-wasm|data-model)="([^"]+)"', page)
    assert loaded and all(url.startswith("/static/") for url in loaded), loaded
