"""``python -m booktools.notebooks``: write each page's student notebook (see ``student``)."""

import sys

from booktools.notebooks.student import main

sys.exit(main())
