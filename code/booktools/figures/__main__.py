"""``python -m booktools.figures``: write every diagram to figures/ (see ``writer``)."""

import sys

from booktools.figures.writer import main

sys.exit(main())
