"""18-3 types the GRU's and 18-2's equations as display math: they must be rnnbook.experiments.cell_comparison's.

The page shows them beside each other, so that a reader compares 18-2's one step
with the GRU's four; rnnbook.experiments.cell_comparison holds them once (GRU_EQUATIONS, RNN_EQUATION),
and what the page typed may not drift.
"""

import re

import pytest
from conftest import ROOT

from rnnbook.experiments.cell_comparison import GRU_EQUATIONS, RNN_EQUATION

BOOK = ROOT / "book"


def _display_math(edition):
    text = (BOOK / edition / "18-3.md").read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"^\$\$\n(.*?)\n\$\$", text, re.S | re.M)]


@pytest.mark.parametrize("edition", ["zh-TW", "en"])
@pytest.mark.parametrize("equation", [GRU_EQUATIONS, RNN_EQUATION], ids=["gru", "rnn"])
def test_18_3_shows_the_equations_of_rnnbook_gated(edition, equation):
    assert equation.strip() in _display_math(edition), (
        f"book/{edition}/18-3.md should show, as display math ($$ on lines of their own), "
        f"exactly rnnbook.experiments.cell_comparison's equation:\n{equation}")
