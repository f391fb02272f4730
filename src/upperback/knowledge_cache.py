"""A cache of the validated knowledge base, so that a new process need not parse and check the
data files again.

Only a knowledge base that passed every check is stored, and it is stored under a key: a
SHA-256 of the data files together with what gives them their meaning here (the code of the
package's core modules, which load and model them, and the versions of upperback, pydantic
and Python). An edited data file
or another version of the code gives another key, so the files are read, validated and
cross-checked afresh, and the cache is written again. A cache file that cannot be read, is cut
short, damaged, or holds anything else is ignored the same way; a folder that cannot be written
only means there is no cache. Nothing here ever makes loading fail.

The file is a pickle, unpickled only after its header, key and digest match. It lives in the
person's own cache folder, which only they (and programs running as them) can write to.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

APP_NAME = "upperback"
CACHE_FILE = "knowledge.pickle"
# Raised when the layout of the cache file changes, so that old files are never misread.
FORMAT = b"upperback-knowledge-cache 1\n"
DIGEST_SIZE = hashlib.sha256().digest_size


def default_folder() -> Path | None:
    """The user's cache folder for upperback (platformdirs), where the cache is kept; None if
    there is none to be found (then nothing is cached)."""
    from platformdirs import user_cache_dir  # imported late: only this needs it

    try:
        return Path(user_cache_dir(APP_NAME, appauthor=False))
    except Exception:  # no home folder, say: loading goes on without a cache
        return None


def code_fingerprint() -> bytes | None:
    """What identifies this version of the code, or None if its sources cannot be read (then
    nothing is cached: a stale file could not be told from a current one)."""
    import pydantic
    import pydantic_core

    from . import __version__

    parts = [
        f"upperback {__version__}",
        f"pydantic {pydantic.VERSION} core {pydantic_core.__version__}",
        f"python {sys.version} {sys.implementation.cache_tag}",
    ]
    digest = hashlib.sha256("\n".join(parts).encode())
    # Every module next to this one: the loader, the models and all they use are among them
    # (the subpackages, the web app and the terminal, are not, and reading them costs more).
    try:
        modules = sorted(Path(__file__).parent.glob("*.py"))
        for module in modules:
            data = module.read_bytes()
            digest.update(f"{module.name}:{len(data)}:".encode())
            digest.update(data)
    except OSError:
        return None
    return digest.digest() if modules else None


def cache_key(texts: Mapping[str, str]) -> str | None:
    """The key of a knowledge base read from these files (name -> text), or None when no key
    can be made."""
    code = code_fingerprint()
    if code is None:
        return None
    digest = hashlib.sha256(code)
    for name, text in texts.items():
        data = text.encode("utf-8")
        # Lengths first, so that no two sets of files can run together into the same bytes.
        digest.update(f"{len(name)}:{name}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def _header(key: str) -> bytes:
    return FORMAT + key.encode("ascii") + b"\n"


def read_cached(folder: Path, key: str, expected: type[T]) -> T | None:
    """The object cached under this key in the folder, or None if there is no usable one."""
    try:
        data = (folder / CACHE_FILE).read_bytes()
    except (OSError, ValueError):  # missing, unreadable, or a path no file can have
        return None
    header = _header(key)
    if not data.startswith(header):
        return None  # another format, another key, or not our file at all
    digest = data[len(header) : len(header) + DIGEST_SIZE]
    payload = data[len(header) + DIGEST_SIZE :]
    if hashlib.sha256(payload).digest() != digest:
        return None  # cut short or damaged
    try:
        found = pickle.loads(payload)
    except Exception:  # any failure to unpickle (a damaged or stale file) means a rebuild
        return None
    return found if isinstance(found, expected) else None


def write_cached(folder: Path, key: str, value: object) -> bool:
    """Store the object under this key, replacing the file whole (so a reader never sees half
    of it); False when it could not be written. Never raises: without a cache, loading only
    takes longer."""
    import tempfile  # imported late: only writing needs it

    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".knowledge-", suffix=".tmp")
    except Exception:  # an unwritable folder (or any other failure) is no error
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_header(key) + hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, folder / CACHE_FILE)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True
