"""Re-fetch the vendored Leaflet from the npm registry (run by hand to update it).

    python tools/vendor_leaflet.py [VERSION]

Runs ``npm pack leaflet@VERSION`` (npm checks the registry's integrity hash), then copies the
minified script and stylesheet and the licence into ``routing/output/_vendor/leaflet/`` and
records the version, tarball integrity and the files' SHA-256 in ``VENDOR.json``, which
:mod:`routing.output.html` checks before inlining them into a report.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "1.9.4"
TARGET = Path(__file__).resolve().parent.parent / "routing" / "output" / "_vendor" / "leaflet"
FILES = {"package/dist/leaflet.js": "leaflet.js", "package/dist/leaflet.css": "leaflet.css"}
LICENSE = "package/LICENSE"


def main(version: str = VERSION) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["npm", "pack", f"leaflet@{version}", "--json", "--pack-destination", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        (info,) = json.loads(out.stdout)
        TARGET.mkdir(parents=True, exist_ok=True)
        with tarfile.open(Path(tmp) / info["filename"]) as tar:
            for member, name in [*FILES.items(), (LICENSE, "LICENSE")]:
                extracted = tar.extractfile(member)
                if extracted is None:
                    raise SystemExit(f"{member} missing from {info['filename']}")
                (TARGET / name).write_bytes(extracted.read())
    record = {
        "package": "leaflet",
        "version": info["version"],
        "license": "BSD-2-Clause",
        "source": f"https://registry.npmjs.org/leaflet/-/leaflet-{info['version']}.tgz",
        "integrity": info["integrity"],
        "sha256": {
            name: hashlib.sha256((TARGET / name).read_bytes()).hexdigest()
            for name in [*FILES.values(), "LICENSE"]
        },
    }
    (TARGET / "VENDOR.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"leaflet {record['version']} -> {TARGET}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
