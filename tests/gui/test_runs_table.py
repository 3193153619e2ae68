"""The runs table: odd values never break it, stored files that cannot be read are rows that can be
deleted, the store is read in a job, accuracy comes first, stopped runs are marked, columns can be hidden
and stay hidden in the next session.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

import pytest
from PyQt5 import QtWidgets

from convviz.gui.common import i18n, settings
from convviz.gui.panels.runs import COLUMNS, RunRow, RunsWidget, rows_from
from convviz.recording import SUFFIX, RunStore
from tests.gui.windows import LOAD_MS
from tests.oddrecords import ALL
from tests.recordfakes import make_record


def _row(**changes) -> RunRow:
    values = {
        "run_id": None,
        "record_id": "20200101-000000-abcdef",
        "started_at": 1_700_000_000.0,
        "arch": "lenet5",
        "parameters": 61706,
        "batching": "numpy",
        "batch_size": 64,
        "optimizer": "adam",
        "learning_rate": 0.001,
        "images_per_second": 1234.5,
        "seconds_per_epoch": 12.5,
        "best_accuracy": 0.98,
        "memory_bytes": 12_000_000,
        "status": "completed",
        "train_size": 60000,
    }
    values.update(changes)
    return RunRow(**values)


ODD_VALUES = {
    "batch size 'sixty-four'": {"batch_size": "sixty-four"},
    "learning rate infinite": {"learning_rate": math.inf},
    "learning rate a list": {"learning_rate": [0.001]},
    "start time 1e300": {"started_at": 1e300},
    "start time negative": {"started_at": -1e12},
    "test accuracy 12.5": {"best_accuracy": 12.5},
    "negative images/s": {"images_per_second": -5.0},
    "NaN seconds per epoch": {"seconds_per_epoch": math.nan},
    "text for an architecture": {"arch": ["lenet5"], "parameters": "many"},
}


@pytest.fixture
def table(qtbot):
    widget = RunsWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    return widget


@pytest.mark.parametrize("case", list(ODD_VALUES))
def test_an_odd_value_never_breaks_the_table(table, case):
    table.set_rows([_row(), _row(record_id="20200102-000000-abcdef", **ODD_VALUES[case])])
    good, odd = dict(zip(COLUMNS, table.row_texts(0))), dict(zip(COLUMNS, table.row_texts(1)))
    assert good["best test accuracy"] == "98.00 %" and good["learning rate"] == "0.001"
    assert "?" in odd.values()  # shown as unknown, never as "1250.00 %" or "-5"
    assert "1250" not in " ".join(odd.values()) and "-5" not in odd["images/s"]


def test_accuracy_first_stopped_runs_marked_training_images_shown(table):
    table.set_rows([_row(status="stopped", train_size=2000), _row(status="failed", record_id="20200103-000000-abcdef")])
    title = table.table.horizontalHeaderItem(0).text().replace("\n", " ")  # a narrow table: on two lines
    assert COLUMNS[0] == "best test accuracy" and title == "best test accuracy"
    assert table.row_text(0, "run").endswith("(stopped)") and table.row_text(1, "run").endswith("(failed)")
    assert table.row_text(0, "training images") == "2,000"
    assert table.table.item(0, COLUMNS.index("run")).font().italic()


def test_columns_can_be_hidden_from_the_header_menu_and_numbers_are_never_elided(table):
    table.set_rows([_row(parameters=123_456_789, images_per_second=98_765.4), _row(record_id="20200104-000000-a")])
    menu = table.column_menu()
    actions = {a.data(): a for a in menu.actions()}
    assert set(actions) == set(COLUMNS) and not actions["run"].isEnabled()
    actions["optimizer"].setChecked(False)
    actions["memory (batch)"].setChecked(False)
    assert table.hidden_columns() == ["optimizer", "memory (batch)"]
    table.retranslate()  # a new language keeps the choice
    assert table.hidden_columns() == ["optimizer", "memory (batch)"]
    table.column_menu().actions()[COLUMNS.index("optimizer")].setChecked(True)
    assert table.hidden_columns() == ["memory (batch)"]
    QtWidgets.QApplication.processEvents()
    header = table.table.horizontalHeader()
    for c, name in enumerate(COLUMNS):
        if table.table.isColumnHidden(c):
            continue
        for r in range(table.table.rowCount()):
            item = table.table.item(r, c)
            needed = table.table.fontMetrics().horizontalAdvance(item.text()) if item.text() else 0
            assert header.sectionSize(c) >= needed, (name, item.text())


def test_a_row_that_cannot_be_read_shows_why_offers_delete_and_no_weights(table, qtbot):
    path = Path("/x/20200105-103000-abcdef.convviz-run.npz")
    fields = {"id": "20200105-103000-abcdef", "path": path, "reason": f"{path}: the file is damaged (Bad CRC)"}
    unreadable = type("U", (), fields)()
    table.set_rows(rows_from([], [], [unreadable]))
    assert table.row_text(0, "run").endswith("cannot read") and table.row_text(0, "run").startswith("2020-01-05")
    assert table.table.item(0, 1).toolTip() == unreadable.reason
    chosen = []
    table.run_chosen.connect(chosen.append)
    table.click_row(0)
    assert chosen == [] and "Bad CRC" in table.hint_text() and table.delete_button.isEnabled()
    assert f"({path.name}: the file is damaged" in table.hint_text() and "/x/" not in table.hint_text()
    with qtbot.waitSignal(table.delete_requested) as deleted:
        table.delete_selected()
    assert deleted.args[0].record_id == unreadable.id


# ---- the window: a store with a good run and every odd record of the issue ----------------------------


@pytest.fixture
def odd_store(tmp_path, monkeypatch):
    folder = tmp_path / "runs"
    store = RunStore(folder)
    good, _ = store.save(make_record(started_at=1_700_000_000)[0])
    data = good.path.read_bytes()
    ids = []
    for i, make in enumerate(ALL.values()):
        run_id = f"2020{i // 9 + 1:02d}{i % 9 + 1:02d}-000000-abcdef"
        (folder / (run_id + SUFFIX)).write_bytes(make(data))
        ids.append(run_id)
    monkeypatch.setenv("CONVVIZ_RUNS_DIR", str(folder))
    return folder, good, ids


def test_the_window_lists_the_good_run_and_marks_every_odd_record_and_deletes_one(
    make_window, qtbot, odd_store, back_to_english
):
    folder, good, ids = odd_store
    window = make_window(arch="lenet5")
    qtbot.waitUntil(lambda: len(window.state.unreadable_runs) == len(ids), timeout=LOAD_MS)
    assert [s.id for s in window.state.stored_runs] == [good.id]
    rows = window.runs.rows()
    assert rows[0].record_id == good.id and rows[0].problem is None
    assert sorted(r.record_id for r in rows[1:]) == sorted(ids) and all(r.problem for r in rows[1:])
    assert all(window.runs.row_text(i, "run").endswith("cannot read") for i in range(1, len(rows)))
    assert window.error_text() == ""  # no "Could not read the saved runs", no "Internal error"
    window.set_language("de")
    QtWidgets.QApplication.processEvents()
    assert window.runs.row_text(1, "run").endswith("nicht lesbar")
    window.set_language("en")
    QtWidgets.QApplication.processEvents()
    # Delete one: its file goes, the others stay.
    window.runs.table.selectRow(1)
    victim = window.runs.selected_row().record_id
    window.runs.delete_selected()
    assert not (folder / (victim + SUFFIX)).exists()
    assert victim not in [r.record_id for r in window.runs.rows()] and len(window.runs.rows()) == len(ids)


@pytest.fixture
def back_to_english():
    yield
    if i18n.language() != "en" and QtWidgets.QApplication.instance() is not None:
        i18n.set_language("en")


def test_the_store_is_read_in_a_job_and_the_window_does_not_wait_for_it(make_window, qtbot, odd_store, monkeypatch):
    import threading
    import time

    from PyQt5 import QtCore

    from convviz.recording import store as store_module

    _folder, good, ids = odd_store
    real_scan = store_module.RunStore.scan
    seen = {}

    def slow_scan(self, progress=None):  # a slow disk: the window must not wait for it
        seen["thread"] = threading.current_thread()
        time.sleep(1.0)
        return real_scan(self, progress)

    monkeypatch.setattr(store_module.RunStore, "scan", slow_scan)
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    window = make_window(arch="lenet5", wait=False)
    qtbot.waitUntil(lambda: "thread" in seen, timeout=LOAD_MS)
    assert window.state.stored_runs == [] and window.runs.rows() == []  # shown before the store is read
    assert seen["thread"] is not threading.main_thread()
    before = len(ticks)
    qtbot.waitUntil(lambda: len(window.state.unreadable_runs) == len(ids), timeout=LOAD_MS)
    timer.stop()
    assert len(ticks) - before >= 10  # the GUI thread kept running while the store was read
    assert window.runs.rows()[0].record_id == good.id


def test_columns_fit_their_numbers_and_titles_wrap_before_the_table_scrolls(table, qtbot):
    """In presenter mode the memory column stood off to the right: the one-line titles made the row
    wider than the table. Titles go on two lines first; the table scrolls only where even that is too wide."""
    table.set_rows([_row()])
    header = table.table.horizontalHeader()
    table.resize(3000, 300)
    qtbot.wait(20)
    assert "\n" not in table.table.horizontalHeaderItem(0).text()  # room: one line
    one_line = header.length()
    table.resize(one_line - 100, 300)
    qtbot.wait(20)
    assert table.table.horizontalHeaderItem(0).text() == "best test\naccuracy"
    assert header.length() <= table.table.viewport().width()
    assert table.table.horizontalScrollBar().maximum() == 0
    table.resize(300, 300)  # too narrow for anything: it scrolls, and no number is cut
    qtbot.wait(20)
    assert table.table.horizontalScrollBar().maximum() > 0
    metrics = table.table.fontMetrics()
    for c, text in enumerate(table.row_texts(0)):
        assert header.sectionSize(c) >= metrics.horizontalAdvance(text), text


def test_a_hidden_column_stays_hidden_in_a_fresh_window_with_the_same_settings(make_window, qtbot):
    window = make_window(arch="lenet5")
    assert window.runs.hidden_columns() == []
    actions = {a.data(): a for a in window.runs.column_menu().actions()}
    actions["optimizer"].setChecked(False)  # as the header's context menu does it
    actions["memory (batch)"].setChecked(False)
    window.runs.column_menu().actions()[COLUMNS.index("memory (batch)")].setChecked(True)  # and shown again
    assert window.runs.hidden_columns() == ["optimizer"]
    window.close()
    again = make_window(arch="lenet5")  # the next session: the same settings file ($CONVVIZ_SETTINGS)
    assert again.runs.hidden_columns() == ["optimizer"]
    assert again.runs.table.isColumnHidden(COLUMNS.index("optimizer"))


def test_what_is_read_back_of_the_hidden_columns_is_bounded(tmp_path, monkeypatch):
    path = tmp_path / "convviz.ini"
    monkeypatch.setenv(settings.SETTINGS_ENV, str(path))
    assert settings.read_names(settings.RUNS_HIDDEN_COLUMNS, COLUMNS) == []  # no file yet
    assert settings.write_names(settings.RUNS_HIDDEN_COLUMNS, ["optimizer", "no such column", "optimizer", "x" * 5000])
    assert settings.read_names(settings.RUNS_HIDDEN_COLUMNS, COLUMNS) == ["optimizer"]  # unknown and repeats go
    assert settings.write_names(settings.RUNS_HIDDEN_COLUMNS, ["images/s"])  # a list of one reads back as a list
    assert settings.read_names(settings.RUNS_HIDDEN_COLUMNS, COLUMNS) == ["images/s"]
    path.write_text("[runs]\nhidden_columns=@Variant(\\0\\0\\0\\x7f)\n")  # not a list of names
    assert settings.read_names(settings.RUNS_HIDDEN_COLUMNS, COLUMNS) == []
    path.write_text("[runs]\nhidden_columns=optimizer\n" + "#" * (settings.MAX_SETTINGS_BYTES + 1))
    assert settings.read_names(settings.RUNS_HIDDEN_COLUMNS, COLUMNS) == []  # too large to be ours: not read
    assert not settings.write_names(settings.RUNS_HIDDEN_COLUMNS, ["optimizer"])  # nor written over
    path.unlink()
    os.mkfifo(path)  # a reader of a FIFO would wait for a writer: the window's start would hang
    assert settings.read_names(settings.RUNS_HIDDEN_COLUMNS, COLUMNS) == []
    assert not settings.write_names(settings.RUNS_HIDDEN_COLUMNS, ["optimizer"])
    assert stat.S_ISFIFO(path.stat().st_mode)  # left as it was
    table = RunsWidget()
    table.set_hidden_columns(["optimizer", "run", "no such column"])  # the run's column always shows
    assert table.hidden_columns() == ["optimizer"]
