"""What every command shares: the environment, the chosen database, the consoles.

One `Runtime` lives in the click context object. It opens the store and loads the knowledge
base only when a command first needs them, so that `--help` stays fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from ..config import Config, read_config

if TYPE_CHECKING:
    from ..knowledge_base import KnowledgeBase
    from ..store import Store


def database_url(db: str | None, config: Config) -> str | None:
    """The database to use: --db, else the environment's (each a file path or a URL), else
    None, which lets the store pick its default file in the user's data folder."""
    return db or config.database_url


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
        return Console(highlight=False)

    @cached_property
    def err(self) -> Console:
        """The console for errors and warnings (stderr)."""
        return Console(stderr=True, highlight=False)

    @cached_property
    def kb(self) -> KnowledgeBase:
        """The bundled knowledge base."""
        from ..knowledge_base import load_knowledge

        return load_knowledge()

    @property
    def database_url(self) -> str | None:
        """The database URL chosen by --db or the environment (None: the default file)."""
        return database_url(self.db, self.config)

    def store(self) -> Store:
        """The diary store, opened on first use and closed when the command ends."""
        if self._store is None:
            from ..store import Store

            self._store = Store.open(self.database_url)
        return self._store

    def close(self) -> None:
        """Close the store if a command opened it."""
        if self._store is not None:
            self._store.close()
            self._store = None
