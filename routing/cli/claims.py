"""CLI commands for claim files: ``routing extract`` and ``routing claims-schema``.

Commands here read and write claim files through :mod:`routing.claims`; ``routing check``
lives in :mod:`routing.cli.check`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from ..claims import Source, claim_file_schema, extract_claims
from ..exceptions import ClaimFileError, DataFormatError, DataNotFoundError
from ..output.envelope import envelope
from ..output.paths import check_output, write_text
from ._app import app, console, err_console
from ._output import AsJson, echo_json

__all__ = ["claims_schema", "extract"]


def _read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning I/O problems into :class:`DataNotFoundError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"{path} is not UTF-8 plain text: {exc.reason}") from exc
    except OSError as exc:
        raise DataNotFoundError(f"cannot read {path}: {exc.strerror}") from exc
    if "\x00" in text:
        raise DataFormatError(f"{path} is a binary file, not plain text")
    return text


def _emit(text: str, output: Path | None, force: bool) -> None:
    """Write ``text`` to ``output``, or to stdout when no file is given."""
    if output is None:
        console.print(text, end="", markup=False, highlight=False, soft_wrap=True)
        return
    write_text(output, text, force=force)


_FORCE = typer.Option("--force", "-f", help="Replace the --output file if it exists.")


def _title(text: str) -> str | None:
    # A first line without closing punctuation is the headline in copied articles.
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if first and len(first) <= 200 and first[-1] not in '.!?"”' else None


@app.command("extract")
def extract(
    article: Annotated[Path, typer.Argument(help="The article as a plain-text file.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the YAML here (default: stdout); an existing file needs --force.",
        ),
    ] = None,
    publication: Annotated[str | None, typer.Option(help="Publication, e.g. 'CNN'.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date, YYYY-MM-DD.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the article was published.")] = None,
    force: Annotated[bool, _FORCE] = False,
    as_json: AsJson = False,
) -> None:
    """Propose a claim file from an article's text, for a person to review.

    With --json, the proposed claims (as in the claim file) and each claim's review comments
    print as the JSON envelope; --output still writes the YAML.
    """
    if output is not None:
        check_output(output, force=force)  # before the work: never after it
    text = _read_text(article)
    try:
        source = Source.model_validate(
            {
                "file": article.name,
                "title": _title(text),
                "publication": publication,
                "date": date,
                "url": url,
            }
        )
    except ValidationError as exc:
        raise ClaimFileError(
            "; ".join(f"--{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        ) from exc
    extraction = extract_claims(text, source=source)
    if as_json:
        if output is not None:
            write_text(output, extraction.to_yaml(origin=article.name), force=force)
        claims = extraction.claim_file.model_dump(mode="json", exclude_none=True, by_alias=True)[
            "claims"
        ]
        query = {"article": str(article), "publication": publication, "date": date, "url": url}
        echo_json(
            envelope(
                "extract",
                query=query,
                results=[
                    {**c, "review_comments": extraction.comments.get(c["id"], [])} for c in claims
                ],
                assumptions=[
                    "claims proposed by rules from the text alone: a person checks each one, "
                    "above all those with review comments, before relying on it"
                ],
                attribution="",
            )
        )
        return
    _emit(extraction.to_yaml(origin=article.name), output, force)
    n = len(extraction.claim_file.claims)
    to_review = sum(1 for c in extraction.comments.values() for line in c if "review:" in line)
    err_console.print(
        f"{n} claim{'s' * (n != 1)} proposed; {to_review} '# review:' note"
        f"{'s' * (to_review != 1)} to check{f' in {output}' if output else ''}.",
        highlight=False,
    )


@app.command("claims-schema")
def claims_schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the schema here (replacing needs --force)."),
    ] = None,
    force: Annotated[bool, _FORCE] = False,
) -> None:
    """Print the JSON Schema of claim files."""
    _emit(json.dumps(claim_file_schema(), indent=2) + "\n", output, force)
