"""Print the README's two commands (its first two ```bash blocks), one per line.

.ci/run runs exactly these, so the README cannot drift from what CI proves.
"""

import re
import sys
from pathlib import Path

blocks = re.findall(r"^```bash\n(.*?)^```", Path(sys.argv[1]).read_text(), re.M | re.S)
if len(blocks) < 2:
    sys.exit(f"{sys.argv[1]}: expected two ```bash blocks (main job, tests), found {len(blocks)}")
for block in blocks[:2]:
    lines = [line for line in block.splitlines() if line.strip()]
    if len(lines) != 1:
        sys.exit(f"{sys.argv[1]}: each command block must hold one command line: {block!r}")
    print(lines[0])
