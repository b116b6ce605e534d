"""``python -m booktools.bench`` (``make bench``): :mod:`booktools.bench.report`."""

import sys

from booktools.bench.report import main

sys.exit(main())
