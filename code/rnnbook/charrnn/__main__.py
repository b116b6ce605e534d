"""``python -m rnnbook.charrnn``: the command line (:mod:`rnnbook.charrnn.cli`)."""

import sys

from rnnbook.charrnn.cli import main

sys.exit(main())
