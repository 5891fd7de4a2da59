"""``python -m routing``: same as the ``routing`` command."""

import sys

from .cli import main

sys.exit(main())
