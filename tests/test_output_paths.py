"""Output path policy: checked before work, missing folders created, --force, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.readonly import read_only

from routing.exceptions import OutputError, OutputExistsError
from routing.output.paths import check_output, output_folder, write_text


def test_missing_folders_are_checked_not_created_then_created_on_write(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.txt"
    assert check_output(target) == target
    assert not (tmp_path / "a").exists()
    assert write_text(target, "x") == target
    assert target.read_text(encoding="utf-8") == "x"


def test_existing_file_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "claims.yaml"
    target.write_text("reviewed by hand", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="--force") as err:
        write_text(target, "new", force=False)
    assert err.value.exit_code == 2
    assert target.read_text(encoding="utf-8") == "reviewed by hand"
    write_text(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"


@pytest.mark.parametrize(
    ("relative", "folder", "message"),
    [
        ("file.txt/out.txt", False, "is a file, not a folder"),
        ("file.txt/sub/out.txt", False, "is a file, not a folder"),
        ("file.txt", True, "is a file, not a folder"),
        ("dir", False, "it is a folder"),
    ],
)
def test_filesystem_refusals_are_output_errors(
    tmp_path: Path, relative: str, folder: bool, message: str
) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    with pytest.raises(OutputError, match=message) as err:
        check_output(tmp_path / relative, folder=folder)
    assert err.value.exit_code == 3


def test_read_only_folder_is_refused_before_any_write(tmp_path: Path) -> None:
    with read_only(tmp_path):
        for target, folder in ((tmp_path / "x.png", False), (tmp_path / "new" / "r", True)):
            with pytest.raises(OutputError, match="permission denied"):
                check_output(target, folder=folder)
        with pytest.raises(OutputError):
            output_folder(tmp_path / "report")
    assert list(tmp_path.iterdir()) == []
