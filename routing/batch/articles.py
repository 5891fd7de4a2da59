"""Articles for batch claim checking: a folder of text files, or a JSONL or CSV of texts.

:func:`read_articles` validates the input up front (it exists, holds articles, ids are
unique) and returns an :class:`Articles` that reads the texts lazily, one at a time, so an
archive larger than memory streams through. An article that cannot be read (not UTF-8, a
binary file, too long, a malformed line) is an :class:`Article` with ``error`` set: it is
reported in the output and the others are checked.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import BatchInputError, DataFormatError, DataNotFoundError

__all__ = [
    "MAX_ARTICLE_CHARS",
    "TEXT_SUFFIXES",
    "Article",
    "Articles",
    "read_article",
    "read_articles",
]

# Suffixes of the article files in a folder.
TEXT_SUFFIXES = (".txt",)
# Longer texts are not articles (a book, a log file, a dump): extraction time grows with length.
MAX_ARTICLE_CHARS = 1_000_000


@dataclass(frozen=True)
class Article:
    """One article: its id and text, or the reason it could not be read.

    Attributes
    ----------
    id
        Unique within the input: the file's path relative to the folder without suffix, or
        the record's ``id``.
    text
        The plain text (``None`` when unreadable).
    error
        Why the article could not be read (``None`` when it could).
    """

    id: str
    text: str | None = None
    error: str | None = None


def read_article(path: Path) -> str:
    """Read a UTF-8 plain-text file.

    Raises
    ------
    DataNotFoundError
        The file cannot be read.
    DataFormatError
        It is not UTF-8 text, is binary, or is longer than :data:`MAX_ARTICLE_CHARS`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"{path} is not UTF-8 plain text: {exc.reason}") from exc
    except OSError as exc:
        raise DataNotFoundError(f"cannot read {path}: {exc.strerror}") from exc
    _check_text(text, str(path))
    return text


def _check_text(text: str, what: str) -> None:
    if "\x00" in text:
        raise DataFormatError(f"{what} is a binary file, not plain text")
    if len(text) > MAX_ARTICLE_CHARS:
        raise DataFormatError(
            f"{what} has {len(text):,} characters, more than an article "
            f"(limit {MAX_ARTICLE_CHARS:,})"
        )


class Articles:
    """The articles of a folder, JSONL or CSV file, read lazily in input order.

    ``len()`` is the number of articles; iterating reads them one by one.
    """

    def __init__(self, path: Path, kind: str, ids: list[str], files: list[Path]) -> None:
        self.path = path
        self.kind = kind
        self.ids = ids
        self.files = files  # a folder's article files, in the order of ``ids``

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Article]:
        if self.kind == "folder":
            for article_id, file in zip(self.ids, self.files, strict=True):
                yield _from_file(file, article_id)
        elif self.kind == "jsonl":
            for article_id, text, error in _jsonl_records(self.path):
                yield _from_record(article_id, text, error)
        else:
            for article_id, text in _csv_records(self.path):
                yield _from_record(article_id, text, None)


def read_articles(path: Path) -> Articles:
    """The articles at ``path``: a folder of ``.txt`` files (searched recursively), or a
    ``.jsonl`` file (one ``{"id": ..., "text": ...}`` object a line) or ``.csv`` file (columns
    ``id`` and ``text``).

    Raises
    ------
    DataNotFoundError
        ``path`` does not exist or cannot be read.
    BatchInputError
        No articles, an unsupported file type, missing columns, or duplicate ids.
    """
    if not path.exists():
        raise DataNotFoundError(f"no such file or folder: {path}")
    files: list[Path] = []
    try:
        if path.is_dir():
            kind = "folder"
            files = [
                p
                for p in sorted(path.rglob("*"))
                if p.suffix.lower() in TEXT_SUFFIXES and p.is_file()
            ]
            ids = [p.relative_to(path).with_suffix("").as_posix() for p in files]
        elif path.suffix.lower() == ".jsonl":
            kind, ids = "jsonl", [r[0] for r in _jsonl_records(path)]
        elif path.suffix.lower() == ".csv":
            kind, ids = "csv", [r[0] for r in _csv_records(path)]
        else:
            raise BatchInputError(
                f"{path}: expected a folder of .txt files, a .jsonl or a .csv file of texts"
            )
    except UnicodeDecodeError as exc:
        raise BatchInputError(f"{path} is not UTF-8 text: {exc.reason}") from exc
    except OSError as exc:
        raise DataNotFoundError(f"cannot read {path}: {exc.strerror}") from exc
    if not ids:
        what = "no .txt files in the folder" if kind == "folder" else "no records"
        raise BatchInputError(f"{path}: {what}; nothing to check")
    counts = Counter(ids)
    duplicates = [i for i, n in counts.items() if n > 1]
    if duplicates:
        raise BatchInputError(
            f"{path}: duplicate article ids {', '.join(map(repr, duplicates[:5]))} "
            "(ids key the output)"
        )
    return Articles(path, kind, ids, files)


def _from_file(path: Path, article_id: str) -> Article:
    try:
        return Article(article_id, read_article(path))
    except (DataNotFoundError, DataFormatError) as exc:
        return Article(article_id, error=str(exc))


def _from_record(article_id: str, text: str | None, error: str | None) -> Article:
    if error is None and text is not None:
        try:
            _check_text(text, f"article {article_id!r}")
        except DataFormatError as exc:
            error = str(exc)
    return Article(article_id, None if error else text, error)


def _jsonl_records(path: Path) -> Iterator[tuple[str, str | None, str | None]]:
    """``(id, text, error)`` per non-blank line; a line without an id is ``line-N``."""
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield f"line-{n}", None, f"{path.name} line {n}: not JSON ({exc.msg})"
                continue
            if not isinstance(record, dict):
                yield f"line-{n}", None, f"{path.name} line {n}: not a JSON object"
                continue
            article_id = str(record.get("id", f"line-{n}"))
            text = record.get("text")
            if not isinstance(text, str):
                yield article_id, None, f"{path.name} line {n}: no 'text' string"
            else:
                yield article_id, text, None


def _csv_records(path: Path) -> Iterator[tuple[str, str]]:
    """``(id, text)`` per row of a CSV with ``id`` and ``text`` columns."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # texts are long fields
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"id", "text"} - set(reader.fieldnames or ())
        if missing:
            raise BatchInputError(
                f"{path}: missing column(s) {', '.join(sorted(missing))}; "
                f"found {', '.join(reader.fieldnames or ()) or 'none'}"
            )
        for row in reader:
            yield row["id"], row["text"] or ""
