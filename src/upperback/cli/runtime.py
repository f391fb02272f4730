"""What every command shares: the environment, the chosen database, the consoles.

One `Runtime` lives in the click context object. It opens the store and loads the knowledge
base only when a command first needs them, so that `--help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import typer
from rich.console import Console

from ..config import Config, read_config
from .text import safe_text

if TYPE_CHECKING:
    from ..knowledge_base import KnowledgeBase
    from ..store import Store


def database_url(db: str | None, config: Config) -> str | None:
    """The database to use: --db, else the environment's (each a file path or a URL), else
    None, which lets the store pick its default file in the user's data folder."""
    return db or config.database_url


def _writable(path: Path) -> bool:
    # SQLite writes the file and, in WAL mode, new files beside it.
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


class TrailingSpaceStripper:
    """A text stream that drops the spaces at the end of each line: Rich pads tables and
    panels to the width, which piped output (a file, `less`, a diff) should not carry."""

    def __init__(self, stream: Callable[[], TextIO]) -> None:
        self._stream = stream  # looked up on each write: tests swap sys.stdout
        self._held = ""  # spaces at the end of a write, held until we know what follows

    def write(self, text: str) -> int:
        """Write the text, with no spaces before a line's end."""
        text, self._held = self._held + text, ""
        stripped = "\n".join(line.rstrip(" ") for line in text.split("\n"))
        body = stripped.rstrip(" ")
        # A prompt ends without a newline: its last spaces are held and written on flush.
        self._held = text[len(text.rstrip(" ")):] if not text.endswith("\n") else ""
        self._stream().write(body)
        return len(text)

    def flush(self) -> None:
        """Write any held spaces (a prompt's "> ") and flush."""
        if self._held:
            self._stream().write(self._held)
            self._held = ""
        self._stream().flush()

    def isatty(self) -> bool:
        """Never a terminal: only piped output is stripped."""
        return False

    def fileno(self) -> int:
        """The underlying stream's file descriptor."""
        return self._stream().fileno()


def plain_console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr); when it is not a terminal, lines lose their trailing
    spaces."""
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:
        console.file = TrailingSpaceStripper(  # type: ignore[assignment]  # write/flush suffice
            (lambda: sys.stderr) if stderr else (lambda: sys.stdout)
        )
    return console


@dataclass
class Runtime:
    """The state of one run of the command."""

    environ: Mapping[str, str] = field(default_factory=dict)
    db: str | None = None
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def of(cls, ctx: typer.Context) -> Runtime:
        """The runtime of this run (made on first use when a test invokes a command directly)."""
        found = ctx.find_object(Runtime)
        if found is None:
            found = ctx.ensure_object(Runtime)
        return found

    @cached_property
    def config(self) -> Config:
        """What the environment given to `main` chose."""
        return read_config(self.environ)

    @cached_property
    def out(self) -> Console:
        """The console for results (stdout)."""
        return plain_console()

    @cached_property
    def err(self) -> Console:
        """The console for errors and warnings (stderr)."""
        return plain_console(stderr=True)

    @cached_property
    def kb(self) -> KnowledgeBase:
        """The bundled knowledge base."""
        from ..knowledge_base import load_knowledge

        return load_knowledge()

    @property
    def database_url(self) -> str | None:
        """The database URL chosen by --db or the environment (None: the default file)."""
        return database_url(self.db, self.config)

    def store(self, read_only: bool = False) -> Store:
        """The diary store, opened on first use and closed when the command ends.

        A reading command passes read_only: a diary file this person may read but not write
        is then opened read-only, instead of failing. A folder that does not exist yet is
        made with a message naming it (so a mistyped --db is seen at once)."""
        if self._store is None:
            from ..store import Store

            path = self.sqlite_path()
            if read_only and path is not None and path.is_file() and not _writable(path):
                self._store = Store.open(self.database_url, read_only=True)
                self.err.print(f"[dim]The diary {safe_text(path)} is read-only: reading only.[/]",
                               soft_wrap=True)
            else:
                if path is not None and path.is_file() and not _writable(path):
                    from ..store.errors import unwritable

                    # Said before a command asks or does anything: nothing typed is lost.
                    raise unwritable(str(path), "the file (or its folder) is read-only")
                if path is not None and not path.parent.exists():
                    self.err.print(f"Making the folder {safe_text(path.parent)} for your diary.",
                                   soft_wrap=True)
                self._store = Store.open(self.database_url)
        return self._store

    def sqlite_path(self) -> Path | None:
        """The diary's SQLite file, or None for a server database (or a URL that cannot be
        read: the store says what is wrong with it when opened)."""
        from ..store.engine import sqlite_path
        from ..store.settings import resolve_url

        try:
            return sqlite_path(resolve_url(self.database_url))
        except Exception:  # noqa: BLE001 - any unreadable URL: Store.open names the problem
            return None

    def close(self) -> None:
        """Close the store if a command opened it."""
        if self._store is not None:
            self._store.close()
            self._store = None
