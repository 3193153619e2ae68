"""The architecture editor: checked as you type, the layers' shapes, parameters and memory, Use, German."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PyQt5 import QtCore, QtWidgets

from convviz.archspec import SpecError
from convviz.gui.common import i18n
from convviz.gui.panels.archeditor import ArchEditor, ArchEditorDialog
from convviz.memory import human_bytes, memory_report
from convviz.netspec import format_spec, layer_shapes, parse_spec
from tests.conftest import ROOT
from tests.gui.test_i18n import english_words, widget_texts, words

SPEC = "conv16@5x5/2-pool2-conv32@3x3v-dense64"


@pytest.fixture
def editor(qtbot):
    widget = ArchEditor(batch_size=64)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def table(editor: ArchEditor) -> list:
    return [
        [editor.table.item(row, column).text() for column in range(editor.table.columnCount())]
        for row in range(editor.table.rowCount())
    ]


def type_spec(qtbot, editor: ArchEditor, text: str) -> None:
    editor.line_edit.clear()
    qtbot.keyClicks(editor.line_edit, text)


def test_typing_a_valid_spec_shows_its_layers_parameters_and_memory(qtbot, editor):
    type_spec(qtbot, editor, SPEC)
    spec = parse_spec(SPEC)
    rows = layer_shapes(spec)
    params = sum(row.params for row in rows)
    assert params == 5 * 5 * 16 + 16 + 3 * 3 * 16 * 32 + 32 + 5 * 5 * 32 * 64 + 64 + 64 * 10 + 10
    assert editor.spec() == SPEC and editor.error() is None and editor.parameter_count() == params
    assert editor.status_label.text().startswith(f"{params:,} parameters")
    assert editor.use_button.isEnabled()
    report = memory_report(spec, 64)
    shown = table(editor)
    assert [line[0] for line in shown] == [row.name for row in rows]  # input, conv1, pool1, conv2, flatten, ...
    assert [line[1] for line in shown] == ["×".join(map(str, row.shape)) for row in rows]
    assert shown[1][1] == "14×14×16" and shown[2][1] == "7×7×16" and shown[3][1] == "5×5×32"  # stride, pool, valid
    assert [line[2] for line in shown] == [f"{row.params:,}" for row in rows]
    assert [line[4] for line in shown] == [human_bytes(row.full_bytes) for row in report.rows]
    assert [line[5] for line in shown] == [human_bytes(row.batch_bytes) for row in report.rows]
    memory = editor.memory_label.text()
    assert human_bytes(report.total_full_bytes) in memory and human_bytes(report.total_batch_bytes) in memory
    assert "60,000 images" in memory and "mini-batch of 64" in memory

    # the mini-batch follows the controls' batch size
    editor.set_batch_size(512)
    assert editor.report().batch_size == 512
    assert table(editor)[1][5] == human_bytes(memory_report(spec, 512).rows[1].batch_bytes)
    assert editor.table.horizontalHeaderItem(5).text() == "Batch of 512"

    with qtbot.waitSignal(editor.spec_accepted) as use:
        qtbot.mouseClick(editor.use_button, QtCore.Qt.LeftButton)
    assert use.args == [SPEC]
    with qtbot.waitSignal(editor.spec_accepted) as enter:
        qtbot.keyClick(editor.line_edit, QtCore.Qt.Key_Return)
    assert enter.args == [SPEC]


def test_any_spelling_is_accepted_as_the_canonical_spec(qtbot, editor):
    type_spec(qtbot, editor, "Conv16@5x5S/2 - pool2")
    assert editor.spec() == "conv16@5x5/2-pool2"
    with qtbot.waitSignal(editor.spec_accepted) as use:
        editor.use_button.click()
    assert use.args == ["conv16@5x5/2-pool2"]
    type_spec(qtbot, editor, "lenet5")  # a built-in's name is a network too
    assert editor.spec() == "lenet5" and editor.parameter_count() == 61_706


@pytest.mark.parametrize(
    "text",
    [
        "conv32@5x5-pool2-conv64@3x3v-pool2-conv64@7x7v",
        "conv32@5x5-lstm",
        "dense128-conv8@3x3",
        "conv600@3x3",
        "dense4096-dense4096-dense4096",
    ],
)
def test_an_invalid_spec_shows_the_error_and_disables_use(qtbot, editor, text):
    type_spec(qtbot, editor, "conv8@3x3")
    assert editor.use_button.isEnabled()
    type_spec(qtbot, editor, text)
    with pytest.raises(SpecError) as info:
        parse_spec(text)
    assert editor.error() == str(info.value)
    assert editor.status_label.text() == f"Not a network: {info.value}"
    assert info.value.token in editor.status_label.text()
    assert not editor.use_button.isEnabled() and editor.spec() is None and editor.report() is None
    assert editor.table.rowCount() == 0 and editor.memory_label.text() == ""
    with qtbot.assertNotEmitted(editor.spec_accepted):
        qtbot.keyClick(editor.line_edit, QtCore.Qt.Key_Return)
        editor.accept_spec()


def test_while_typing_each_prefix_is_checked(qtbot, editor):
    """Half-typed specs are errors on the way; the first valid prefix enables Use at once."""
    seen = []
    editor.line_edit.textChanged.connect(lambda _: seen.append((editor.text(), editor.use_button.isEnabled())))
    type_spec(qtbot, editor, "conv8@3x3")
    assert [text for text, _ in seen][-9:] == [
        "c",
        "co",
        "con",
        "conv",
        "conv8",
        "conv8@",
        "conv8@3",
        "conv8@3x",
        "conv8@3x3",
    ]
    assert [enabled for _, enabled in seen][-9:] == [False] * 8 + [True]
    assert editor.parameter_count() == 3 * 3 * 8 + 8 + 28 * 28 * 8 * 10 + 10


def test_the_built_in_networks_are_starting_points(qtbot, editor):
    names = [editor.start_combo.itemData(i) for i in range(editor.start_combo.count())]
    assert names == [None, "dense", "cnn", "template", "lenet5"]
    for index, name in enumerate(names[1:], 1):
        editor.start_combo.activated.emit(index)
        assert editor.text() == format_spec(name) and editor.spec() == format_spec(name)
        assert (
            editor.parameter_count()
            == {"dense": 238_510, "cnn": 660_586, "template": 4_824_138, "lenet5": 61_706}[name]
        )
        assert editor.start_combo.currentIndex() == 0


def test_the_dialog_returns_the_accepted_spec(qtbot):
    dialog = ArchEditorDialog("conv8@3x3", 32)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.editor.report().batch_size == 32
    dialog.editor.use_button.click()
    assert dialog.result() == QtWidgets.QDialog.Accepted and dialog.chosen() == "conv8@3x3"


def test_german(qtbot, editor):
    type_spec(qtbot, editor, SPEC)
    i18n.set_language("de")
    try:
        qtbot.waitUntil(lambda: editor.use_button.text() == "Übernehmen")  # LanguageChange is an event
        german_count = f"{editor.parameter_count():,}".replace(",", "\u202f")  # 56 970
        assert editor.status_label.text().startswith(f"{german_count} Parameter (")
        assert editor.table.horizontalHeaderItem(4).text() == "Alle 60\u202f000 Bilder"
        assert editor.table.item(0, 0).text() == "Eingabe" and editor.table.item(0, 3).text() == "Daten"
        assert "Stapel von 64" in editor.memory_label.text()
        texts = [text for widget in editor.findChildren(QtWidgets.QWidget) for text in widget_texts(widget)]
        texts += [editor.table.horizontalHeaderItem(c).text() for c in range(editor.table.columnCount())]
        texts += [editor.table.item(r, 3).text() for r in range(editor.table.rowCount())]
        english = english_words()
        left = sorted({word for text in texts for word in words(text)} & english)
        assert left == [], left
        type_spec(qtbot, editor, "conv8@3x3-lstm")
        assert editor.status_label.text().startswith(
            "Kein gültiges Netz: lstm (layer 2"
        )  # the core's line stays English
    finally:
        i18n.set_language("en")
    qtbot.waitUntil(lambda: editor.use_button.text() == "Use")
    assert editor.status_label.text().startswith("Not a network: lstm (layer 2")


def test_the_editor_needs_no_tensorflow():
    code = (
        "import sys; from PyQt5 import QtWidgets; app = QtWidgets.QApplication([]); "
        "from convviz.gui.panels.archeditor import ArchEditor; e = ArchEditor('conv8@3x3-dense16'); "
        "print(e.parameter_count(), 'tensorflow' in sys.modules)"
    )
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=str(ROOT), env=env
    )
    assert out.stdout.split() == [str(3 * 3 * 8 + 8 + 28 * 28 * 8 * 16 + 16 + 16 * 10 + 10), "False"]
