"""Where a command may write a file, and writing it whole or not at all.

Every command that writes a file (``report --out`` and the Markdown report's charts beside it,
``study --chart``, ``sql --out``, ``demo --report``) checks its path with
:func:`check_output_path` before doing the work, and writes with :func:`write_atomically`. A
path is refused when it

* does not end in a suffix of its format (``--out r.pdf`` for an HTML report);
* is the warehouse, its WAL, or any other DuckDB database (recognised by its header, so a
  warehouse named ``*.html`` is safe too);
* exists and is not a regular file: a folder, a device (``/dev/full``), a FIFO, a socket, or a
  symlink to one of those (a symlink to a regular file is followed: the file it points at is
  replaced).

Writing goes through a temporary file in the same folder and a rename, so a failure (disk full,
Ctrl-C) leaves any earlier file untouched, and a reader never sees half a file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from tracker.errors import OutputPathError

_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
_WAL = ".wal"


def check_output_path(
    path: Path | str,
    suffixes: Sequence[str],
    *,
    option: str = "--out",
    what: str = "the file",
    protect: Iterable[Path | str | None] = (),
) -> Path:
    """The path to write for ``option`` (a symlink resolved to its target), or :class:`OutputPathError`.

    ``suffixes`` are the lower-case suffixes the format allows, the first being the usual one;
    ``protect`` are paths never to write over (the warehouse: its WAL is protected with it).
    """
    path = Path(path).expanduser()
    if path.suffix.lower() not in suffixes:
        fits = suffixes[0] if len(suffixes) == 1 else f"{', '.join(suffixes[:-1])} or {suffixes[-1]}"
        suggestion = path.with_suffix(suffixes[0]).name if path.name and path.suffix else f"{path.name or 'out'}{suffixes[0]}"
        raise OutputPathError(f"{option} {path}: {what} must be named {fits}", hint=f"for example {suggestion}")
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    _refuse_protected(path, target, protect, option)
    refuse_unsafe_target(target, option=option, given=path)
    return target


def refuse_unsafe_target(target: Path, *, option: str = "output", given: Path | None = None) -> None:
    """Refuse an existing ``target`` that is not a regular file, or is a DuckDB database or WAL."""
    shown = f"{option} {given or target}" + (f" (-> {target})" if given is not None and given != target else "")
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputPathError(f"cannot write {shown}: {exc.strerror or exc}", hint="choose another output path") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputPathError(f"{shown} is a folder", hint=f"give a file name inside it, like {target / 'out'}…")
        if not stat.S_ISREG(info.st_mode):
            raise OutputPathError(f"{shown} is {_kind(info.st_mode)}, not a regular file",
                                  hint="give the path of a new or existing regular file")
        if _is_duckdb(target):
            raise OutputPathError(f"{shown} is a DuckDB database (a warehouse?); refusing to write over it",
                                  hint="choose another output path")
    if target.name.lower().endswith(_WAL) and _is_duckdb(target.with_name(target.name[: -len(_WAL)])):
        raise OutputPathError(f"{shown} is the write-ahead log of a DuckDB database; refusing to write over it",
                              hint="choose another output path")
    parent = target.parent
    if parent.exists() and not parent.is_dir():
        raise OutputPathError(f"{shown}: {parent} is not a folder", hint="choose another output path")


def _refuse_protected(path: Path, target: Path, protect: Iterable[Path | str | None], option: str) -> None:
    for protected in protect:
        if protected is None:
            continue
        protected = Path(protected).expanduser()
        for candidate, name in ((protected, "the warehouse"), (protected.with_name(protected.name + _WAL), "the warehouse's WAL")):
            if _same_file(target, candidate):
                raise OutputPathError(f"{option} {path} is {name} ({protected}); refusing to write over it",
                                      hint="choose another output path")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they would be
        return os.path.realpath(a) == os.path.realpath(b)


def _is_duckdb(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(12)[8:12] == _DUCKDB_MAGIC
    except OSError:
        return False


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def write_atomically(path: Path, data: bytes | str | Callable[[BinaryIO], None]) -> None:
    """Write ``data`` (bytes, text, or a function writing to a binary file) to ``path`` through a
    temporary file and a rename, creating parent folders.

    A failure (disk full, interrupt) leaves any earlier file at ``path`` untouched. The target
    is checked again just before the rename (:func:`refuse_unsafe_target`).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputPathError(f"cannot write {path}: {exc.strerror or exc}", hint="choose another output path") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an output is an ordinary file
        refuse_unsafe_target(path)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputPathError(f"cannot write {path}: {exc.strerror or exc}", hint="choose another output path") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
