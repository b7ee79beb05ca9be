"""Turn command-line PATH arguments into the list of files to check."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

STDIN = "-"
GLOB_CHARS = set("*?[")
URL = "://"
REMOTE_EXTRA = "remote"  # the optional dependencies for URL inputs (pyproject.toml)
REMOTE_PACKAGES = ("fsspec", "aiohttp", "requests")


class MissingExtra(OSError):
    """A URL input needs packages that are not installed: the ``extra`` that brings them."""

    extra = REMOTE_EXTRA
    packages = REMOTE_PACKAGES

    def __init__(self, url: str) -> None:
        super().__init__(f"reading {url} needs {', '.join(self.packages)}: pip install 'budgetlint[{self.extra}]'")


def is_pattern(path: str) -> bool:
    """True if the local ``path`` is a glob pattern (and no file of that name exists)."""
    return URL not in path and bool(GLOB_CHARS & set(path)) and not os.path.exists(path)


def read_bytes(path: str) -> bytes:
    """The bytes of a local path, or of an fsspec URL (s3://…, file://…) where the document lives."""
    if URL not in path:
        return Path(path).read_bytes()
    fs, location = _filesystem(path)
    with fs.open(location, "rb") as handle:
        return handle.read()


def _filesystem(url: str):
    try:
        import fsspec
    except ImportError as exc:
        raise MissingExtra(url) from exc
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:  # the protocol's implementation is missing (aiohttp for HTTP, s3fs for S3…)
        if url.split(URL, 1)[0].lower() in ("http", "https"):
            raise MissingExtra(url) from exc
        raise OSError(f"{url}: {exc}") from exc
    except ValueError as exc:
        raise OSError(f"{url}: {exc}") from exc


def _expand_url(argument: str, suffixes: set[str]) -> list[str]:
    """Files behind a URL: the URL itself, a folder's matching files, or a glob's matches."""
    try:
        fs, location = _filesystem(argument)
        protocol = argument.split(URL, 1)[0]
        if GLOB_CHARS & set(location):
            names = fs.glob(location)
        elif fs.isdir(location):
            names = [n for n in fs.find(location) if Path(n).suffix.lower() in suffixes]
        else:
            return [argument]
    except OSError:
        return [argument]  # reported as unreadable by the engine
    return [f"{protocol}{URL}{name.lstrip('/') if protocol != 'file' else name}" for name in sorted(names)]


def collect(arguments: Iterable[str], suffixes: Iterable[str]) -> list[str]:
    """Files for ``arguments``: files as given, directories recursed, globs expanded.

    Directories yield only files whose suffix some reader claims.  A path that
    does not exist is kept, so the engine reports it as unreadable.  Symlink
    loops are followed once, never forever.
    """
    wanted = {s.lower() for s in suffixes}
    files: list[str] = []
    for argument in arguments:
        if argument == STDIN:
            files.append(STDIN)
        elif URL in argument:
            files.extend(_expand_url(argument, wanted))
        elif os.path.isdir(argument):
            files.extend(sorted(_walk(argument, wanted)))
        elif is_pattern(argument):
            matches = [m for m in sorted(glob.glob(argument, recursive=True)) if os.path.isfile(m)]
            files.extend(matches or [argument])
        else:
            files.append(argument)
    return list(dict.fromkeys(display_path(f) for f in files))


def _walk(root: str, suffixes: set[str]) -> Iterator[str]:
    seen: set[tuple[int, int]] = set()
    for folder, dirs, names in os.walk(root, followlinks=True):
        try:
            stat = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (stat.st_dev, stat.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if Path(name).suffix.lower() in suffixes and not name.startswith("."):
                yield os.path.join(folder, name)


def display_path(path: str) -> str:
    """Paths under the working directory are shown relative to it."""
    if path == STDIN or URL in path:
        return path
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(os.getcwd())).as_posix()
    except (ValueError, OSError):
        return path
