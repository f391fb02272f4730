"""`upperback comments` and `upperback moderators`: moderate the readers' comments.

A comment is public only once a moderator approves it. These commands read and change the
same database as the rest (`--db`, or UPPERBACK_DATABASE_URL), so a moderator can work from
the terminal or from the web's /moderate page, signed in with the password set here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import UserError
from .runtime import Runtime
from .text import literal, plain, safe_text

if TYPE_CHECKING:
    from ..store.comments import Comment

# The most comments `comments list` shows (the newest, or the oldest pending ones).
LIST_LIMIT = 200
# How much of each comment the table shows; --json gives the whole text.
SHOWN_CHARACTERS = 120
HELD_SHORT = {"warning_sign": "warning sign", "contact_details": "contact details"}

comments_app = typer.Typer(
    name="comments",
    help=(
        "Moderate the readers' comments: list them, approve one (it is then public), reject "
        "or delete one.\n\n"
        "\b\nExamples:\n"
        "  upperback comments list --pending   the comments waiting for a moderator\n"
        "  upperback comments approve ID       show it on its page\n"
        "  upperback comments reject ID        never show it\n"
        "  upperback comments delete ID        delete it for good"
    ),
    no_args_is_help=True,
)

moderators_app = typer.Typer(
    name="moderators",
    help=(
        "The people who may approve comments on the web page /moderate.\n\n"
        "\b\nExamples:\n"
        "  upperback moderators add sam                      asks for a password twice\n"
        "  upperback moderators add sam --password-stdin < pw.txt"
    ),
    no_args_is_help=True,
)

CommentId = Annotated[str, typer.Argument(metavar="ID", help="The comment's id (see: upperback "
                                                               "comments list).",
                                          show_default=False)]


def _when(comment: Comment) -> str:
    from .diary import when

    return when(comment.created_at)


def _json(comment: Comment) -> dict[str, object]:
    data = comment.as_dict()
    data["created"] = comment.created_at.isoformat()
    return data


def _shortened(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_CHARACTERS else flat[:SHOWN_CHARACTERS - 3] + "..."


@comments_app.command(name="list")
def list_comments(
    ctx: typer.Context,
    pending: Annotated[bool, typer.Option("--pending", help="Only the comments waiting for a "
                                                            "moderator (oldest first).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON: a list of "
                                                         "objects with id, page, name, text, "
                                                         "status and created.")] = False,
) -> None:
    """List the comments, newest first (with --pending: the waiting ones, oldest first).

    Example: upperback comments list --pending
    """
    from rich.text import Text

    from ..store.comments import comments

    runtime = Runtime.of(ctx)
    found = comments(runtime.store(read_only=True), pending_only=pending, limit=LIST_LIMIT)
    if as_json:
        typer.echo(json.dumps([_json(c) for c in found], ensure_ascii=False, indent=2))
        return
    if not found:
        runtime.out.print("No comments are waiting." if pending else "There are no comments.")
        return
    for item in found:
        # Not a table: the id must stay whole at any width, to be copied into `approve`.
        head = Text(item.id, style="bold")
        head.append(f"  {item.status}  ")
        head.append(plain(item.page))
        head.append(f"  {_when(item)}")
        held = HELD_SHORT.get(item.held_for or "")
        if held:
            head.append(f"  held for {held}", style="yellow")
        runtime.out.print(head, soft_wrap=True)
        runtime.out.print(Text("  ") + literal(f"{item.name}: {_shortened(item.text)}"))
    if len(found) == LIST_LIMIT:
        runtime.out.print(f"[dim]Only the first {LIST_LIMIT} are shown.[/]")


def _change(ctx: typer.Context, comment_id: str, status: str) -> Comment:
    from ..store.comments import set_status

    changed = set_status(Runtime.of(ctx).store(), comment_id.strip(), status)  # type: ignore[arg-type]
    if changed is None:
        raise UserError(f"there is no comment {comment_id} (see: upperback comments list)")
    return changed


@comments_app.command(name="approve")
def approve(ctx: typer.Context, comment_id: CommentId) -> None:
    """Approve a comment: it is shown on its page, in its list and in the feed.

    Example: upperback comments approve 3f2a...
    """
    done = _change(ctx, comment_id, "approved")
    Runtime.of(ctx).out.print(f"Approved comment {done.id} by {safe_text(done.name)} on "
                              f"{safe_text(done.page)}. It is public now.", soft_wrap=True)


@comments_app.command(name="reject")
def reject(ctx: typer.Context, comment_id: CommentId) -> None:
    """Reject a comment: it is kept, but never shown.

    Example: upperback comments reject 3f2a...
    """
    done = _change(ctx, comment_id, "rejected")
    Runtime.of(ctx).out.print(f"Rejected comment {done.id}. It will not be shown.")


@comments_app.command(name="delete")
def delete(ctx: typer.Context, comment_id: CommentId) -> None:
    """Delete a comment for good.

    Example: upperback comments delete 3f2a...
    """
    from ..store.comments import delete_comment

    if not delete_comment(Runtime.of(ctx).store(), comment_id.strip()):
        raise UserError(f"there is no comment {comment_id} (see: upperback comments list)")
    Runtime.of(ctx).out.print(f"Deleted comment {safe_text(comment_id.strip())}.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = typer.get_text_stream("stdin").readline()
        return line.removesuffix("\n").removesuffix("\r")
    first = typer.prompt("Password", hide_input=True)
    again = typer.prompt("The same password again", hide_input=True)
    if first != again:
        raise UserError("the two passwords are not the same. Nothing was changed.")
    return str(first)


@moderators_app.command(name="add")
def add_moderator(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The name to sign in with.",
                                        show_default=False)],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input "
                                 "(for scripts) instead of asking.")] = False,
) -> None:
    """Add a moderator, or set a new password for one (asked twice, not shown).

    A new password signs the moderator out everywhere. The password is kept only as an
    argon2 hash.

    Example: upperback moderators add sam
    """
    from ..comments import check_moderator_name, check_password
    from ..store.comments import set_moderator

    runtime = Runtime.of(ctx)
    checked = check_moderator_name(name)
    password = check_password(_read_password(password_stdin))
    new = set_moderator(runtime.store(), checked, password)
    if new:
        runtime.out.print(f"Added the moderator {checked}. They can sign in at /moderate.")
    else:
        runtime.out.print(f"Set a new password for {checked}. Their old sessions have ended.")
