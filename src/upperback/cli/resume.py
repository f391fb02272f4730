"""An unfinished check's answers, kept in the user's data folder after Ctrl-C, so that
`upperback check --resume` goes on from them. Nothing typed is lost without a word."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import UserError

FILE_NAME = "unfinished-check.json"


def resume_path() -> Path:
    """Where the unfinished check is kept (the user's data folder, as for the diary)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("upperback", appauthor=False)) / FILE_NAME


def keep_answers(answers: dict[str, Any]) -> Path:
    """Write the answers so far (atomically: a crash leaves the old file or the new one)."""
    path = resume_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"saved_at": datetime.now(UTC).isoformat(timespec="seconds"), "answers": answers}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    os.replace(temporary, path)
    return path


def kept_answers() -> dict[str, Any] | None:
    """The kept answers, or None when there are none."""
    path = resume_path()
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError(f"the unfinished check in {path} cannot be read ({error}); "
                        "delete the file and start again: upperback check") from error
    answers = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(answers, dict):
        raise UserError(f"the unfinished check in {path} holds no answers; delete it and "
                        "start again: upperback check")
    return answers


def drop_kept() -> None:
    """Remove the kept answers (the check they belonged to has finished)."""
    resume_path().unlink(missing_ok=True)
