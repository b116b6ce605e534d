"""figures/ holds exactly what rnnbook draws now, byte for byte, and pages use it all."""

import re

from conftest import ROOT

from booktools.figures import writer as figures


def test_committed_figures_match_the_code():
    stale = figures.stale(ROOT / "figures")
    assert not stale, f"figures out of date: {stale}; run `make figures` and commit"


def test_drawing_is_byte_reproducible():
    describe = figures.FIGURES["rnn-folded-unrolled"]
    first, second = figures.svg_bytes(describe()), figures.svg_bytes(describe())
    assert first == second
    assert b"<dc:date>" not in first


def test_no_stray_files_in_figures():
    on_disk = {p.stem for p in (ROOT / "figures").glob("*.svg")}
    assert on_disk == set(figures.FIGURES)


def test_every_figure_is_used_by_a_page():
    used = set()
    for page in (ROOT / "book").rglob("*.md"):
        used |= set(re.findall(r"figures/([\w-]+)\.svg", page.read_text(encoding="utf-8")))
    assert set(figures.FIGURES) <= used, f"unused: {set(figures.FIGURES) - used}"
    assert used <= set(figures.FIGURES), f"pages use undrawn figures: {used - set(figures.FIGURES)}"


def test_check_mode_reports_a_changed_file(tmp_path, capsys):
    figures.write_all(tmp_path)
    assert figures.main(["--check", "--out", str(tmp_path)]) == 0
    (tmp_path / "chain-shared.svg").write_text("<svg/>")
    assert figures.main(["--check", "--out", str(tmp_path)]) == 1
    assert "chain-shared.svg" in capsys.readouterr().out
