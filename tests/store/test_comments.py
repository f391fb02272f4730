"""Comments, moderators and their sessions in the store, on SQLite and PostgreSQL alike: a
comment is public only once approved, passwords are kept as argon2 hashes, and a session
only as its token's hash, until it expires."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from upperback.store import RecordError, Store
from upperback.store.comments import (
    add_comment,
    approved_comments,
    comment,
    comments,
    delete_comment,
    end_session,
    latest_approved,
    moderator_names,
    session_moderator,
    set_moderator,
    set_status,
    start_session,
    sweep_sessions,
    verify_moderator,
)
from upperback.store.models import ModeratorRow, ModeratorSessionRow
from upperback.store.rate_counts import bucket_for, hit

PAGE = "/causes/poor_posture"
PASSWORD = "correct horse battery"
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def test_a_new_comment_waits_for_a_moderator(store: Store) -> None:
    added = add_comment(store, PAGE, "Sam", "Heat helped.\nThank you.")
    assert added.status == "pending"
    assert len(added.id) == 32 and int(added.id, 16) >= 0
    assert approved_comments(store, PAGE) == []
    assert comment(store, added.id) == added


def test_comment_ids_are_random_not_counted(store: Store) -> None:
    ids = {add_comment(store, PAGE, "Sam", f"comment {n}").id for n in range(5)}
    assert len(ids) == 5
    assert not any(i.isdigit() for i in ids)


def test_an_approved_comment_is_listed_on_its_own_page_only(store: Store) -> None:
    added = add_comment(store, PAGE, "Sam", "Heat helped.")
    approved = set_status(store, added.id, "approved")
    assert approved is not None and approved.status == "approved"
    assert [c.id for c in approved_comments(store, PAGE)] == [added.id]
    assert approved_comments(store, "/") == []


def test_a_rejected_comment_is_never_listed(store: Store) -> None:
    added = add_comment(store, PAGE, "Sam", "Buy my pills")
    set_status(store, added.id, "rejected")
    assert approved_comments(store, PAGE) == []
    assert latest_approved(store) == []
    assert comments(store, pending_only=True) == []
    assert [c.status for c in comments(store)] == ["rejected"]


def test_a_page_lists_the_newest_approved_comments_oldest_first(store: Store) -> None:
    for n in range(4):
        done = add_comment(store, PAGE, "Sam", f"comment {n}", created_at=at(n))
        set_status(store, done.id, "approved")
    assert [c.text for c in approved_comments(store, PAGE, limit=3)] == [
        "comment 1", "comment 2", "comment 3"]
    assert [c.text for c in latest_approved(store, limit=2)] == ["comment 3", "comment 2"]


def test_the_feed_reads_one_page_or_every_page(store: Store) -> None:
    for page in (PAGE, "/"):
        set_status(store, add_comment(store, page, "Sam", "hello").id, "approved")
    assert {c.page for c in latest_approved(store)} == {PAGE, "/"}
    assert [c.page for c in latest_approved(store, page="/")] == ["/"]


def test_the_waiting_comments_come_oldest_first_and_everything_newest_first(store: Store
                                                                            ) -> None:
    first = add_comment(store, PAGE, "Ann", "first", created_at=at(1))
    second = add_comment(store, PAGE, "Bob", "second", held_for="warning_sign",
                         created_at=at(2))
    done = add_comment(store, PAGE, "Cy", "third", created_at=at(3))
    set_status(store, done.id, "approved")
    assert [c.id for c in comments(store, pending_only=True)] == [first.id, second.id]
    assert [c.id for c in comments(store)] == [done.id, second.id, first.id]
    assert comments(store, pending_only=True)[1].held_for == "warning_sign"


def test_a_comment_keeps_its_text_exactly(store: Store) -> None:
    text = 'Line one\nline two\t<script>alert("x")</script> \u00e9 \U0001f600'
    added = add_comment(store, "/", "Zoë <b>", text)
    found = comment(store, added.id)
    assert found is not None and (found.name, found.text) == ("Zoë <b>", text)


def test_deleting_a_comment_removes_it_for_good(store: Store) -> None:
    added = add_comment(store, PAGE, "Sam", "hello")
    assert delete_comment(store, added.id) is True
    assert comment(store, added.id) is None
    assert delete_comment(store, added.id) is False


@pytest.mark.parametrize("comment_id", ["0" * 32, "nope", "", "1' OR '1'='1", "A" * 32])
def test_an_unknown_comment_id_is_none_not_an_error(store: Store, comment_id: str) -> None:
    assert comment(store, comment_id) is None
    assert set_status(store, comment_id, "approved") is None
    assert delete_comment(store, comment_id) is False


def test_a_status_other_than_the_three_is_refused(store: Store) -> None:
    added = add_comment(store, PAGE, "Sam", "hello")
    with pytest.raises(RecordError) as refused:
        set_status(store, added.id, "published")  # type: ignore[arg-type]
    assert refused.value.field == "status"


@pytest.mark.parametrize(("field", "values"), [
    ("text", (PAGE, "Sam", "nul \x00 byte")),
    ("text", (PAGE, "Sam", "")),
    ("name", (PAGE, "n" * 81, "hello")),
    ("page", ("/" + "p" * 200, "Sam", "hello")),
])
def test_the_store_refuses_what_no_database_column_holds(
    store: Store, field: str, values: tuple[str, str, str]
) -> None:
    with pytest.raises(RecordError) as refused:
        add_comment(store, *values)
    assert refused.value.field == field
    assert comments(store) == []


# -- moderators ------------------------------------------------------------------------------


def test_a_moderator_s_password_is_kept_as_an_argon2id_hash(store: Store) -> None:
    assert set_moderator(store, "sam", PASSWORD) is True
    with store.reading() as session:
        kept = session.scalars(select(ModeratorRow.password_hash)).one()
    assert kept.startswith("$argon2id$") and PASSWORD not in kept
    assert moderator_names(store) == ["sam"]


def test_only_the_right_password_signs_a_moderator_in(store: Store) -> None:
    set_moderator(store, "sam", PASSWORD)
    assert verify_moderator(store, "sam", PASSWORD) is True
    assert verify_moderator(store, "sam", PASSWORD + "!") is False
    assert verify_moderator(store, "sam", "") is False
    assert verify_moderator(store, "nobody", PASSWORD) is False
    assert verify_moderator(store, "x" * 500, PASSWORD) is False


def test_setting_a_new_password_replaces_the_old_one_and_ends_the_sessions(store: Store
                                                                            ) -> None:
    set_moderator(store, "sam", PASSWORD)
    token = start_session(store, "sam")
    assert set_moderator(store, "sam", "another good password") is False
    assert verify_moderator(store, "sam", PASSWORD) is False
    assert verify_moderator(store, "sam", "another good password") is True
    assert session_moderator(store, token) is None


# -- sessions --------------------------------------------------------------------------------


@pytest.fixture
def moderator(store: Store) -> str:
    set_moderator(store, "sam", PASSWORD)
    return "sam"


def test_a_session_is_kept_only_as_its_token_s_sha256(store: Store, moderator: str) -> None:
    token = start_session(store, moderator)
    with store.reading() as session:
        kept = session.scalars(select(ModeratorSessionRow.token_hash)).all()
    assert kept == [hashlib.sha256(token.encode()).hexdigest()]
    assert session_moderator(store, token) == moderator


def test_a_session_lasts_its_lifetime_and_no_longer(store: Store, moderator: str) -> None:
    token = start_session(store, moderator, timedelta(hours=12), clock=lambda: START)
    assert session_moderator(store, token, clock=lambda: at(12 * 60 - 1)) == moderator
    assert session_moderator(store, token, clock=lambda: at(12 * 60)) is None


@pytest.mark.parametrize("token", ["", "x", "t" * 101, None, 42])
def test_a_token_that_is_not_one_finds_no_session(store: Store, moderator: str,
                                                  token: object) -> None:
    start_session(store, moderator)
    assert session_moderator(store, token) is None
    assert end_session(store, token) is False


def test_signing_out_ends_the_session(store: Store, moderator: str) -> None:
    token = start_session(store, moderator)
    other = start_session(store, moderator)
    assert end_session(store, token) is True
    assert session_moderator(store, token) is None
    assert session_moderator(store, other) == moderator


def test_sweeping_deletes_the_expired_sessions_only(store: Store, moderator: str) -> None:
    start_session(store, moderator, timedelta(hours=1), clock=lambda: START)
    live = start_session(store, moderator, timedelta(hours=12), clock=lambda: START)
    assert sweep_sessions(store, clock=lambda: at(120)) == 1
    assert session_moderator(store, live, clock=lambda: at(120)) == moderator


def test_a_new_session_sweeps_the_expired_ones(store: Store, moderator: str) -> None:
    start_session(store, moderator, timedelta(hours=1), clock=lambda: START)
    start_session(store, moderator, clock=lambda: at(120))
    with store.reading() as session:
        assert len(session.scalars(select(ModeratorSessionRow)).all()) == 1


# -- the shared count of comments ------------------------------------------------------------


def test_the_comment_count_of_one_address_is_shared_by_every_store_on_the_database(
    store: Store, database_url: str
) -> None:
    bucket = bucket_for("comment", "203.0.113.9")
    other = Store.open(database_url)  # a second worker on the same database
    try:
        waits = [hit(s, bucket, 5, 600, clock=lambda: 1000.0)
                 for s in (store, other, store, other, store, other)]
    finally:
        other.close()
    assert waits[:5] == [0] * 5 and waits[5] > 0
