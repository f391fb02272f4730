"""The cache of the validated knowledge base: read back while nothing changed, rebuilt when the
files or the code change or the cache file is damaged, and never a reason for loading to fail.

Every test points the cache at its own tmp_path folder; none reads or writes the user's cache.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
import pytest
import yaml

import upperback
from upperback import knowledge_base, knowledge_cache
from upperback.knowledge_base import KnowledgeBase, KnowledgeError, load_knowledge

BUNDLED = Path(upperback.__file__).parent / "knowledge"
# Loaded from the folder by path, which is never cached: what every cached load must equal.
FRESH = load_knowledge(BUNDLED)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A cache folder of this test's own (not made yet)."""
    return tmp_path / "cache"


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts how often the files are validated (a cache hit validates nothing)."""
    count: list[int] = []
    real = knowledge_base._validate

    def counted(raw: Any) -> KnowledgeBase:
        count.append(1)
        return real(raw)

    monkeypatch.setattr(knowledge_base, "_validate", counted)
    return count


def _same(a: KnowledgeBase, b: KnowledgeBase) -> None:
    assert a.sources == b.sources
    assert a.findings == b.findings
    assert a.baseline == b.baseline
    assert a.causes == b.causes
    assert a.relief == b.relief
    assert a.red_flags == b.red_flags
    assert a.questions == b.questions
    assert a.guide == b.guide
    assert a.question_of == b.question_of
    assert a.warning_signs == b.warning_signs
    assert a.combination_signs == b.combination_signs
    assert a.solo_levels == b.solo_levels
    assert a.red_flag_findings() == b.red_flag_findings()


def _edit(folder: Path, name: str, change: Callable[[Any], None]) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def _relabel(data: Any) -> None:
    data[0]["label"] = "A label no one wrote before"


def test_a_second_load_reads_the_cache_instead_of_the_files(
    cache: Path, validations: list[int]
) -> None:
    first = load_knowledge(cache_folder=cache)
    assert (cache / knowledge_cache.CACHE_FILE).is_file()
    second = load_knowledge(cache_folder=cache)
    assert len(validations) == 1
    assert second is not first
    _same(second, first)


def test_the_cached_knowledge_base_gives_the_same_assessments(cache: Path) -> None:
    load_knowledge(cache_folder=cache)
    cached = load_knowledge(cache_folder=cache)
    _same(cached, FRESH)
    answers = {"age": 67, "duration_days": 40, "fever": True, "hunched_posture": True}
    a, b = upperback.assess(answers, cached), upperback.assess(answers, FRESH)
    assert (a.triage, a.triage_reasons, a.causes) == (b.triage, b.triage_reasons, b.causes)
    assert a.relief == b.relief


def test_a_changed_data_file_rebuilds_the_cache(
    knowledge_copy: Path, cache: Path, validations: list[int]
) -> None:
    before = load_knowledge(knowledge_copy, cache_folder=cache)
    _edit(knowledge_copy, "findings.yaml", _relabel)
    after = load_knowledge(knowledge_copy, cache_folder=cache)
    first = next(iter(after.findings.values()))
    assert first.label == "A label no one wrote before"
    assert next(iter(before.findings.values())).label != first.label
    assert len(validations) == 2
    # The rebuilt cache now serves the edited files.
    again = load_knowledge(knowledge_copy, cache_folder=cache)
    assert next(iter(again.findings.values())).label == first.label
    assert len(validations) == 2


def test_a_broken_edit_is_reported_although_a_cache_exists(
    knowledge_copy: Path, cache: Path
) -> None:
    load_knowledge(knowledge_copy, cache_folder=cache)

    def break_age(data: Any) -> None:
        age = next(f for f in data if f["id"] == "age")
        age["min"], age["max"] = 10, 5

    _edit(knowledge_copy, "findings.yaml", break_age)
    with pytest.raises(KnowledgeError, match="an int finding needs min <= max"):
        load_knowledge(knowledge_copy, cache_folder=cache)


def test_broken_files_are_never_cached(knowledge_copy: Path, cache: Path) -> None:
    (knowledge_copy / "relief.yaml").unlink()
    with pytest.raises(KnowledgeError, match="relief.yaml: the file is missing"):
        load_knowledge(knowledge_copy, cache_folder=cache)
    assert not (cache / knowledge_cache.CACHE_FILE).exists()


def _damage_payload(data: bytes) -> bytes:
    flipped = bytearray(data)
    flipped[-10] ^= 0xFF
    return bytes(flipped)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="cut-short"),
        pytest.param(_damage_payload, id="a-byte-changed"),
        pytest.param(lambda data: b"not a cache at all\n" * 50, id="garbage"),
        pytest.param(lambda data: data.replace(knowledge_cache.FORMAT, b"x" * 27), id="header"),
    ],
)
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(
    cache: Path, validations: list[int], damage: Callable[[bytes], bytes]
) -> None:
    load_knowledge(cache_folder=cache)
    path = cache / knowledge_cache.CACHE_FILE
    path.write_bytes(damage(path.read_bytes()))
    rebuilt = load_knowledge(cache_folder=cache)
    _same(rebuilt, FRESH)
    assert len(validations) == 2
    load_knowledge(cache_folder=cache)  # the file was written again, whole
    assert len(validations) == 2


def test_a_cache_file_that_is_a_folder_is_ignored(cache: Path) -> None:
    (cache / knowledge_cache.CACHE_FILE).mkdir(parents=True)
    _same(load_knowledge(cache_folder=cache), FRESH)


def test_a_cache_holding_something_else_is_ignored(
    cache: Path, validations: list[int]
) -> None:
    load_knowledge(cache_folder=cache)
    path = cache / knowledge_cache.CACHE_FILE
    data = path.read_bytes()
    header = data[: data.index(b"\n", len(knowledge_cache.FORMAT)) + 1]
    payload = pickle.dumps({"not": "a knowledge base"})
    path.write_bytes(header + hashlib.sha256(payload).digest() + payload)
    assert isinstance(load_knowledge(cache_folder=cache), KnowledgeBase)
    assert len(validations) == 2


def test_a_cache_from_another_version_of_the_code_is_rebuilt(
    cache: Path, validations: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_knowledge(cache_folder=cache)
    real = knowledge_cache.code_fingerprint()
    assert real is not None
    monkeypatch.setattr(knowledge_cache, "code_fingerprint", lambda: b"another version")
    load_knowledge(cache_folder=cache)
    assert len(validations) == 2
    load_knowledge(cache_folder=cache)
    assert len(validations) == 2  # that version's cache is now the one kept


def test_without_readable_code_nothing_is_cached(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(knowledge_cache, "code_fingerprint", lambda: None)
    assert isinstance(load_knowledge(cache_folder=cache), KnowledgeBase)
    assert not cache.exists()


def test_an_unwritable_cache_folder_does_not_stop_loading(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the folder would go")
    folder = blocker / "cache"  # can never be made, whoever runs the test (root too)
    _same(load_knowledge(cache_folder=folder), FRESH)
    _same(load_knowledge(cache_folder=folder), FRESH)
    assert not knowledge_cache.write_cached(folder, "key", object())


def test_a_folder_that_refuses_new_files_does_not_stop_loading(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    _same(load_knowledge(cache_folder=cache), FRESH)
    assert not (cache / knowledge_cache.CACHE_FILE).exists()


def test_a_failed_replace_leaves_no_temporary_file(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(knowledge_cache.os, "replace", refuse)
    assert isinstance(load_knowledge(cache_folder=cache), KnowledgeBase)
    assert list(cache.iterdir()) == []


def test_a_directory_is_not_cached_unless_a_folder_is_given(
    knowledge_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = tmp_path / "default-cache"
    monkeypatch.setattr(knowledge_cache, "default_folder", lambda: default)
    load_knowledge(knowledge_copy)
    assert not default.exists()


def test_the_bundled_knowledge_base_is_cached_in_the_users_cache_folder() -> None:
    expected = Path(platformdirs.user_cache_dir("upperback", appauthor=False))
    assert knowledge_cache.default_folder() == expected


def test_the_key_changes_with_any_file_and_only_then() -> None:
    texts = {"a.yaml": "x: 1\n", "b.yaml": "y: 2\n"}
    key = knowledge_cache.cache_key(texts)
    assert key is not None
    assert knowledge_cache.cache_key(dict(texts)) == key
    assert knowledge_cache.cache_key(texts | {"b.yaml": "y: 3\n"}) != key
    # Text moved from one file to the next is another set of files.
    assert knowledge_cache.cache_key({"a.yaml": "x: 1\ny", "b.yaml": ": 2\n"}) != key
    assert knowledge_cache.cache_key({"a.yaml": "x: 1\n", "c.yaml": "y: 2\n"}) != key
