"""`upperback comments` and `upperback moderators`: a moderator's work from the terminal, on
the same database as the rest."""

from __future__ import annotations

import json

import pytest

from upperback.store import Store
from upperback.store.comments import (
    add_comment,
    approved_comments,
    comment,
    set_status,
    verify_moderator,
)

from .conftest import Run, flat

PAGE = "/causes/poor_posture"
PASSWORD = "correct horse battery"


@pytest.fixture
def waiting(store: Store) -> str:
    """A comment waiting for a moderator; its id."""
    return add_comment(store, PAGE, "Sam", "Heat helped.\nThank you.", "contact_details").id


def test_an_empty_list_says_so(run: Run) -> None:
    assert run("comments", "list").output.strip() == "There are no comments."
    assert run("comments", "list", "--pending").output.strip() == "No comments are waiting."


def test_the_list_shows_each_comment_with_its_status_and_why_it_was_held(
    run: Run, waiting: str
) -> None:
    result = run("comments", "list")
    assert result.exit_code == 0
    shown = flat(result.output)
    for part in (waiting, "pending", PAGE, "Sam", "contact details", "Heat helped. Thank you."):
        assert part in shown


def test_the_json_list_has_every_field(run: Run, waiting: str) -> None:
    listed = json.loads(run("comments", "list", "--json").output)
    assert len(listed) == 1
    assert {"id", "page", "name", "text", "status", "created"} <= set(listed[0])
    assert listed[0]["id"] == waiting
    assert listed[0]["text"] == "Heat helped.\nThank you."
    assert listed[0]["created"].endswith("+00:00")


def test_pending_lists_only_the_waiting_comments(run: Run, store: Store, waiting: str) -> None:
    done = add_comment(store, "/", "Ann", "Great")
    set_status(store, done.id, "approved")
    assert [c["id"] for c in json.loads(run("comments", "list", "--json").output)] == [
        done.id, waiting]
    assert [c["id"] for c in json.loads(run("comments", "list", "--pending", "--json").output)
            ] == [waiting]


def test_approving_a_comment_makes_it_public(run: Run, store: Store, waiting: str) -> None:
    result = run("comments", "approve", waiting)
    assert result.exit_code == 0
    assert "It is public now." in result.output
    assert [c.id for c in approved_comments(store, PAGE)] == [waiting]


def test_rejecting_a_comment_keeps_it_hidden(run: Run, store: Store, waiting: str) -> None:
    assert run("comments", "reject", waiting).exit_code == 0
    found = comment(store, waiting)
    assert found is not None and found.status == "rejected"
    assert approved_comments(store, PAGE) == []


def test_deleting_a_comment_removes_it(run: Run, store: Store, waiting: str) -> None:
    result = run("comments", "delete", waiting)
    assert result.exit_code == 0
    assert f"Deleted comment {waiting}." in result.output
    assert comment(store, waiting) is None


@pytest.mark.parametrize("command", ["approve", "reject", "delete"])
@pytest.mark.parametrize("comment_id", ["0" * 32, "nope", "[red]x[/]"])
def test_an_unknown_id_is_one_red_line_and_exit_code_2(run: Run, command: str,
                                                       comment_id: str) -> None:
    result = run("comments", command, comment_id)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: there is no comment")
    assert "upperback comments list" in lines[0]


def test_hostile_text_in_a_comment_is_shown_literally(run: Run, store: Store) -> None:
    add_comment(store, "/", "[bold]Eve[/]", "\x1b[2Jcleared? [red]no[/]")
    output = run("comments", "list").output
    assert "[bold]Eve[/]" in output and "[red]no[/]" in output
    assert "\x1b" not in output


def test_a_moderator_is_added_with_the_password_asked_twice(run: Run, store: Store) -> None:
    result = run("moderators", "add", "sam", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Added the moderator sam." in result.output
    assert PASSWORD not in result.output  # hidden as it is typed
    assert verify_moderator(store, "sam", PASSWORD)


def test_two_different_passwords_change_nothing(run: Run, store: Store) -> None:
    result = run("moderators", "add", "sam", input=f"{PASSWORD}\nsomething else\n")
    assert result.exit_code == 2
    assert "not the same" in result.output
    assert not verify_moderator(store, "sam", PASSWORD)


def test_a_script_gives_the_password_on_standard_input(run: Run, store: Store) -> None:
    result = run("moderators", "add", "sam", "--password-stdin", input=f"{PASSWORD}\n")
    assert result.exit_code == 0
    assert verify_moderator(store, "sam", PASSWORD)
    again = run("moderators", "add", "sam", "--password-stdin", input="a brand new secret\n")
    assert "Set a new password for sam." in again.output
    assert verify_moderator(store, "sam", "a brand new secret")
    assert not verify_moderator(store, "sam", PASSWORD)


@pytest.mark.parametrize(("name", "password", "said"), [
    ("sam", "short", "The password must be 10 to 1024 characters long."),
    ("sam smith", PASSWORD, "A moderator's name must be"),
])
def test_a_bad_name_or_password_is_one_red_line(run: Run, name: str, password: str,
                                                said: str) -> None:
    result = run("moderators", "add", name, "--password-stdin", input=password + "\n")
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {said}")


@pytest.mark.parametrize("group", ["comments", "moderators"])
def test_each_group_s_help_has_examples(run: Run, group: str) -> None:
    result = run(group, "--help")
    assert result.exit_code == 0
    assert f"upperback {group}" in result.output.split("Example", 1)[1]


@pytest.mark.parametrize("command", [("comments", "list"), ("comments", "approve"),
                                     ("comments", "reject"), ("comments", "delete"),
                                     ("moderators", "add")])
def test_each_command_s_help_has_an_example(run: Run, command: tuple[str, str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert f"upperback {' '.join(command)}" in result.output.split("Example", 1)[1]
