"""English and German: the catalogue holds every text of the source, and the window speaks one language at a time.

The catalogue checks read the source (every ``translate`` and ``QT_TRANSLATE_NOOP`` call) and
run Qt's own extractor, pylupdate5, over it: both must find exactly the catalogue's entries,
each finished, with the same ``{placeholders}`` as its English source.

The window check switches a real window to German, drives it through loading, drawing, a
training run, an enlarged filter and map and the download question, and walks every text a
user can see (labels, buttons, group boxes, combo entries and their tooltips, tabs, menus and
actions, tooltips, window titles, spin-box suffixes, the status bar, plot axes, titles and
legends): no English word may be left. Then it switches back and finds no German word.

A word counts as English when it occurs in an English source of the catalogue, or is one of
a list of common English words, unless it is in :data:`ALLOWED`: words German spells the
same (Start, Pause, Filter, Training, ...), names (MNIST, numpy, TensorFlow, Adam, SGD,
ReLU) and the layer types and architecture names the course uses as they are (conv, pool,
dense, template). Code (``tf.data``, ``.batch()``, ``weights.npz``, ``conv1``) and numbers
are not words.
"""

from __future__ import annotations

import ast
import html
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import numpy as np
import pyqtgraph as pg
import pytest
from PyQt5 import QtCore, QtWidgets

from convviz.config import ARCH_DESCRIPTIONS, BATCHING_DESCRIPTIONS, TrainConfig
from convviz.gui.common import i18n
from convviz.preprocess import Verdict
from tests.conftest import ROOT
from tests.gui.windows import LOAD_MS, RUN_MS, draw, use_small_data

GUI = ROOT / "convviz" / "gui"
PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Spelled alike in German and English, or names and technical terms the course uses as they are.
ALLOWED = {
    # German words that are spelled as English ones
    "start", "pause", "filter", "training", "momentum", "moment", "graph", "iterator", "terminal", "in", "an", "bias",
    "linear", "esc",  # the key is labelled Esc on German keyboards too
    "original",
    "top",  # the top-9 tab: German says "Top 9" too
    # names: data set, libraries, optimizers, the app, file formats, units
    "mnist", "numpy", "tensorflow", "estimator", "estimatorspec", "adam", "sgd", "relu", "convviz", "lenet",
    "lecun", "png", "svg", "gif", "mb", "cnn",
    # attacks and saliency methods by their names, and the papers' authors
    "fgsm", "pgd", "smoothgrad", "adebayo", "smilkov", "sundararajan",
    # layer types and architecture names, as the exercise writes them (--arch values, netspec summaries)
    "conv", "pool", "dense", "pad", "valid", "template", "logits", "softmax", "exp", "max",
    # the embedding view's methods, by their names: PCA and t-SNE
    "pca", "t", "sne",
    # letters used as symbols: the x axis, N images, z the logits, e^z, B the batch size (and German's "z. B."),
    # ε an attack's size
    "x", "n", "z", "e", "b", "ε",
    # each language's name, in its own language, in the Language menu
    "english", "deutsch",
}  # fmt: skip
# Common English words, for a text that never reached the catalogue (German homographs left out).
ENGLISH = set(
    """the and of to is are for with on from this that at by or not no yet all each every one its it be been
    has have you your please click open save load loading show hide draw drawing digit image images model loss
    accuracy epoch epochs batch batches size learning rate network weights test train trained training layer
    layers channel channels input output map maps feature features prediction probability speed step stop
    resume clear random zoom view language figure copy full screen mode seconds left done ready missing error
    failed could cannot file folder new replace download downloading cancel use sure untrained pretrained""".split()
)


def words(text: str) -> list:
    """The words of a text as a reader sees it: no markup, no code, no numbers; lower case."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", PLACEHOLDER.sub(" ", str(text))))
    found = []
    for token in text.replace("&", "").split():
        token = token.strip("()[]\"'«»,;:!?…·")
        if re.search(r"[\d_@=/\\*]|\.\w", token):  # numbers and code: 28×28, tf.data, .batch(), weights.npz
            continue
        found.extend(part.lower() for part in re.split(r"[-—–→×±%|.▶■◀✕]+", token) if re.search(r"[^\W\d_]", part))
    return found


def catalogue() -> dict:
    """``{(context, source): translation element}`` of the German .ts file, unfinished ones included."""
    entries = {}
    for context in ElementTree.parse(str(i18n.catalogue_path("de"))).getroot().iter("context"):
        for message in context.iter("message"):
            entries[(context.findtext("name"), message.findtext("source"))] = message.find("translation")
    return entries


def english_words() -> set:
    sources = {word for _, source in catalogue() for word in words(source)}
    return (sources | ENGLISH) - ALLOWED


def german_words() -> set:
    translated = {word for element in catalogue().values() for word in words(element.text or "")}
    return translated - english_words() - ALLOWED - {word for _, source in catalogue() for word in words(source)}


def literal(node: ast.AST) -> str | None:
    """The string a node spells out, or None."""
    if sys.version_info < (3, 8):  # Python 3.7 parses strings as ast.Str
        return node.s if isinstance(node, ast.Str) else None
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def marked_in_source() -> tuple:
    """Every (context, text) the GUI's source marks for translation, and the calls whose arguments are no literals."""
    found, not_literal = set(), []
    for path in sorted(GUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ("translate", "QT_TRANSLATE_NOOP"):
                continue
            if isinstance(node.func, ast.Attribute) and path.name == "i18n.py":
                continue  # i18n.Text's own QCoreApplication.translate(context, source)
            texts = [literal(arg) for arg in node.args[:2]]
            plural = len(node.args) == 4 and name == "translate" and getattr(node.args[2], "value", 0) is None
            if (len(node.args) == 2 or plural) and not node.keywords and None not in texts:
                found.add(tuple(texts))
            else:
                not_literal.append(f"{path.name}:{node.lineno}")
    return found, not_literal


# ---- the catalogue -------------------------------------------------------------------------------


def test_the_catalogue_holds_every_text_of_the_source_finished():
    found, not_literal = marked_in_source()
    assert not_literal == [], "translate() takes a literal context and source (then .format(name=...))"
    entries = catalogue()
    assert sorted(found - set(entries)) == [], "texts missing from convviz_de.ts: run pylupdate5 (see i18n.py)"
    assert sorted(set(entries) - found) == [], "entries the source no longer has"
    for (context, source), translation in entries.items():
        where = f"{context}: {source!r}"
        assert translation is not None and translation.get("type") is None, f"unfinished: {where}"
        forms = [form.text or "" for form in translation.iter("numerusform")] or [translation.text or ""]
        for form in forms:
            assert form.strip(), f"empty: {where}"
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source)), where
            assert form.count("\n") == source.count("\n"), where


def test_qt_s_own_extractor_finds_the_same_texts(tmp_path):
    """pylupdate5 (PyQt5's) misses a call it cannot parse (a trailing comma, say): the catalogue must stay
    reproducible with Qt's tools,
    ``pylupdate5 convviz/gui/*.py convviz/gui/*/*.py -ts convviz/gui/translations/convviz_de.ts``."""
    target = tmp_path / "extracted.ts"
    sources = [str(path) for path in sorted(GUI.rglob("*.py"))]
    command = [sys.executable, "-m", "PyQt5.pylupdate_main", "-noobsolete", *sources, "-ts", str(target)]
    subprocess.run(command, check=True, capture_output=True, cwd=str(ROOT))
    extracted = set()
    for context in ElementTree.parse(str(target)).getroot().iter("context"):
        for message in context.iter("message"):
            extracted.add((context.findtext("name"), message.findtext("source")))
    assert extracted == marked_in_source()[0] == set(catalogue())


def test_the_core_texts_the_window_shows_are_in_the_catalogue():
    """The networks' and batchings' descriptions and the pad's verdicts come from the core, which has no Qt."""
    verdicts = {Verdict.NOT_SURE.value, Verdict.NOT_A_DIGIT.value}
    shown = {*ARCH_DESCRIPTIONS.values(), *BATCHING_DESCRIPTIONS.values(), *verdicts}
    assert set(i18n.CORE_TEXTS) == shown


def test_the_english_detector_sees_english_and_passes_german_and_code():
    english = english_words()
    assert {"waiting", "training"} & set(words("waiting for training…")) & english == {"waiting"}
    assert not set(words("Warte auf das Training … tf.data, .batch(), weights.npz, conv1 28×28")) & english
    assert set(words("epochs: 3")) & english == {"epochs"}
    assert {"stapelgröße", "lernrate", "merkmalskarten", "zeichenfläche"} <= german_words()


# ---- texts that render again ---------------------------------------------------------------------


@pytest.fixture
def german(qapp):
    i18n.set_language("de")
    yield
    i18n.set_language("en")


def test_a_text_renders_again_in_the_new_language_its_arguments_too(german):
    frame = i18n.translate("Controller", "Training stopped: {message}")
    nested = frame.format(message=i18n.translate("Status", "Training finished"))
    assert nested == "Training abgebrochen: Training beendet"
    i18n.set_language("en")
    assert i18n.again(nested) == "Training stopped: Training finished"
    assert i18n.again("a core message") == "a core message"  # plain strings stay as they are
    later = i18n.translate("Controller", "Could not build the {arch} network for the pad: {message}").format(arch="cnn")
    assert later.format(message="boom") == "Could not build the cnn network for the pad: boom"


def test_counts_are_grouped_as_each_language_writes_them(german):
    assert f"{i18n.count(60000)}" == "60\u202f000"
    i18n.set_language("en")
    assert f"{i18n.count(60000)}" == "60,000" and str(i18n.count(1234.4)) == "1,234"


def test_plurals_take_qt_s_numerus_forms_in_both_languages(german):
    paused = "Paused after %n batch(es) · Step: one more · space: resume"
    assert i18n.translate("MainWindow", paused, None, 1).startswith("Pause nach 1 Stapel ·")
    assert i18n.translate("MainWindow", paused, None, 2).startswith("Pause nach 2 Stapeln ·")
    thousands = i18n.translate("Status", "Training stopped after %n batch(es)", None, 12000)
    assert thousands == "Training nach 12\u202f000 Stapeln gestoppt"  # %n grouped as the language groups
    i18n.set_language("en")
    assert i18n.again(thousands) == "Training stopped after 12,000 batches"
    assert i18n.translate("MainWindow", paused, None, 1).startswith("Paused after 1 batch ·")
    assert i18n.translate("MainWindow", paused, None, 0).startswith("Paused after 0 batches ·")
    assert i18n.translate("Teach", "%n drawing(s) deleted", None, 1) == "1 drawing deleted"


def test_every_plural_has_both_forms_in_both_catalogues():
    english = i18n.read_catalogue(i18n.catalogue_path("en"))
    german = i18n.read_catalogue(i18n.catalogue_path("de"))
    plurals = {key for key, value in german.items() if isinstance(value, tuple)}
    assert len(plurals) >= 10 and all("%n" in source for _, source in plurals)
    assert set(english) == plurals  # the English catalogue holds the plurals only
    for key in plurals:
        assert len(german[key]) == len(english[key]) == 2, key
        assert "(s)" not in "".join(english[key]) and "(es)" not in "".join(english[key]), key
    # No number beside a fixed plural in the source: a count is a %n plural or not a count at all.
    found, _ = marked_in_source()
    fixed = [source for _, source in found if re.search(r"\{(count|batches|epochs|drawings|mistakes)\} \w+s\b", source)]
    assert fixed == [], fixed


def test_one_number_format_per_language(german):
    assert (i18n.decimal(0.001), i18n.decimal(0.5, 2), i18n.percent(0.9754, 2)) == ("0,001", "0,50", "97,54 %")
    assert f"{i18n.count(61706)}" == "61\u202f706" and i18n.read_decimal("0,05") == 0.05
    assert QtCore.QLocale().decimalPoint() == ","  # the spin boxes' default follows
    from convviz.gui.panels.lossaxes import LossAxis, log_tick_label

    assert LossAxis("left").tickStrings([0.5, 1.0], 1.0, 0.5) == ["0,5", "1,0"]  # the plots' numbers too
    assert log_tick_label(np.log10(0.03)) == "0,03"
    i18n.set_language("en")
    assert (i18n.decimal(0.001), i18n.decimal(0.5, 2), i18n.percent(0.9754, 2)) == ("0.001", "0.50", "97.54 %")
    assert f"{i18n.count(61706)}" == "61,706" and QtCore.QLocale().decimalPoint() == "."


def test_no_number_is_formatted_for_display_past_the_language(german):
    """Every number the window shows goes through i18n (count, decimal, percent): a Python format spec
    with a decimal point or grouping in the GUI's source would write 0.5 and 61,706 in German too."""
    spec = re.compile(r"\{[^{}]*:[,.]?[,.0-9]*[fg,]\}")
    offenders = []
    for path in sorted(GUI.rglob("*.py")):
        if path.name == "i18n.py":
            continue  # the formatter itself
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if spec.search(line) and not re.search(r"\blog(ger|ging)?\.|raise|Error\(|pt\b|pt\"", line):  # not shown
                offenders.append(f"{path.relative_to(GUI)}:{number}: {line.strip()}")
    assert offenders == [], "\n".join(offenders)


def test_the_language_at_start_follows_the_environment_then_the_system(monkeypatch):
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "de")
    assert i18n.initial_language() == "de"
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "en_US.UTF-8")
    assert i18n.initial_language() == "en"
    monkeypatch.delenv(i18n.LANGUAGE_ENV)
    for locale, expected in ((QtCore.QLocale.German, "de"), (QtCore.QLocale.French, "en")):
        monkeypatch.setattr(QtCore.QLocale, "system", lambda locale=locale: QtCore.QLocale(locale))
        assert i18n.initial_language() == expected


# ---- the window ----------------------------------------------------------------------------------


def scene_texts(view: pg.GraphicsView):
    """Every text of a pyqtgraph view: axis labels, titles, text items, curve names."""
    for item in view.scene().items():
        if isinstance(item, QtWidgets.QGraphicsTextItem):
            yield item.toPlainText()
        elif isinstance(item, pg.PlotDataItem) and item.name():
            yield item.name()


def widget_texts(widget: QtWidgets.QWidget):
    """The texts ``widget`` shows of its own, its tooltip and (a window's) title."""
    yield widget.toolTip()
    if widget.isWindow():
        yield widget.windowTitle()
    if isinstance(widget, (QtWidgets.QLabel, QtWidgets.QAbstractButton, QtWidgets.QLineEdit)):
        yield widget.text()
    if isinstance(widget, QtWidgets.QGroupBox):
        yield widget.title()
    if isinstance(widget, QtWidgets.QAbstractSpinBox):
        yield widget.text()
        if isinstance(widget, (QtWidgets.QSpinBox, QtWidgets.QDoubleSpinBox)):
            yield widget.suffix()
            yield widget.specialValueText()
    if isinstance(widget, QtWidgets.QComboBox):
        for index in range(widget.count()):
            yield widget.itemText(index)
            yield widget.itemData(index, QtCore.Qt.ToolTipRole) or ""
    if isinstance(widget, QtWidgets.QTabBar):
        for index in range(widget.count()):
            yield widget.tabText(index)
            yield widget.tabToolTip(index)
    if isinstance(widget, (QtWidgets.QMenu, QtWidgets.QMenuBar)):
        if isinstance(widget, QtWidgets.QMenu):
            yield widget.title()
        for action in widget.actions():
            yield action.text()
            yield action.toolTip()
    if isinstance(widget, QtWidgets.QStatusBar):
        yield widget.currentMessage()
    if isinstance(widget, QtWidgets.QProgressDialog):
        yield widget.labelText()
    if isinstance(widget, pg.GraphicsView):
        yield from scene_texts(widget)


def every_text(window) -> list:
    """(where, text) for each widget of the window and its dialogs, hidden ones included."""
    widgets = [window, *window.findChildren(QtWidgets.QWidget)]
    texts = []
    for widget in widgets:
        where = f"{type(widget).__name__} {widget.objectName()}".strip()
        texts.extend((where, str(text)) for text in widget_texts(widget) if text)
    return texts


def left_over(window, vocabulary: set) -> list:
    """(where, text, the words of ``vocabulary`` in it) for each text of the window that has any."""
    found = set()
    for where, text in every_text(window):
        hits = set(words(text)) & vocabulary
        if hits:
            found.add((where, text, ", ".join(sorted(hits))))
    return sorted(found)


def switch(window, qtbot, code: str) -> None:
    """Choose a language from the window's menu and wait for the LanguageChange events to arrive."""
    window.language_actions[code].trigger()
    title = {"de": "einem Faltungsnetz", "en": "watch a convolutional network"}[code]
    qtbot.waitUntil(lambda: title in window.windowTitle(), timeout=5000)
    QtWidgets.QApplication.processEvents()  # the posted events of every window and dialog
    assert i18n.language() == code and window.language_actions[code].isChecked()


@pytest.fixture
def back_to_english():
    yield
    if i18n.language() != "en" and QtWidgets.QApplication.instance() is not None:
        i18n.set_language("en")


def test_the_window_speaks_german_throughout_and_english_again(make_window, qtbot, mnist, tmp_path, back_to_english):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=192, test=200)
    english, german = english_words(), german_words()
    assert left_over(window, english), "the check must see the English window"
    switch(window, qtbot, "de")

    # Every state a lecture passes through, in German: a drawing, a run, enlarged tiles, a question.
    with qtbot.waitSignal(window.prediction_shown, timeout=LOAD_MS):
        draw(window)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.start_training(TrainConfig(arch="lenet5", batch_size=64, epochs=1, seed=1))
    assert "Testgenauigkeit" in window.statusBar().currentMessage()
    window.show_panel("feature maps")
    window.filters.enlarge(0)
    window.featuremaps.enlarge(window.featuremaps.sections[0].name, 0)
    window.offer_download()
    QtWidgets.QApplication.processEvents()
    assert left_over(window, english) == [], "\n".join(map(str, left_over(window, english)))
    assert window.panels.tabs.tabText(2) == "Merkmalskarten" and window.loss.plot.getAxis("right").labelText == (
        "Testgenauigkeit (%)"
    )

    # A problem: a German frame around the core's English line, in the banner and the status bar.
    window.download_offer.close_dialogs()
    empty = tmp_path / "no-model"
    empty.mkdir()
    with qtbot.waitSignal(window.error_shown, timeout=LOAD_MS):
        window.load_model(empty)
    assert window.error_text().startswith("Das Modell ließ sich nicht laden: ")

    # And back: every text in English, the banner's frame and the run's status line included.
    switch(window, qtbot, "en")
    assert window.error_text().startswith("Could not load the model: ")
    assert left_over(window, german) == [], "\n".join(map(str, left_over(window, german)))
    assert window.panels.tabs.tabText(2) == "Feature maps" and window.controls.pause_button.text() == "Pause"
    assert np.isfinite(window.loss.accuracy_points()[:, 1]).all()


def menu_accelerators(menu_bar: QtWidgets.QMenuBar) -> list:
    """(menu level, [its '&' letters]) for the bar and every menu in it, submenus included."""
    levels, pending = [], [("menu bar", menu_bar.actions())]
    while pending:
        where, actions = pending.pop()
        letters = []
        for action in actions:
            text = action.text().replace("&&", "")
            if "&" in text:
                letters.append(text[text.index("&") + 1].lower())
            if action.menu() is not None:
                pending.append((f"{where} > {action.text()}", action.menu().actions()))
        levels.append((where, letters))
    return levels


def test_menu_accelerators_are_unique_per_menu_in_both_languages(make_window, qtbot, back_to_english):
    window = make_window(arch="lenet5")
    titles = [action.text() for action in window.menuBar().actions()]
    assert "&Help" in titles and titles[-1] == "&Help"
    for code in ("en", "de"):
        switch(window, qtbot, code)
        levels = menu_accelerators(window.menuBar())
        assert levels[0][0] == "menu bar" and len(levels[0][1]) == len(titles)  # every menu has its letter
        for where, letters in levels:
            doubled = sorted({letter for letter in letters if letters.count(letter) > 1})
            assert doubled == [], f"{code}: {where} gives Alt+{doubled} to two entries"


def test_the_help_menu_shows_every_shortcut_in_the_language(make_window, qtbot, back_to_english):
    window = make_window(arch="lenet5")
    sheet = window.show_cheat_sheet()
    qtbot.waitExposed(sheet)
    keys = [key for key, _ in sheet.texts()]
    assert {"Space", "F5", "Ctrl++", "Ctrl+-", "Ctrl+0", "Ctrl+Z"} <= set(keys)
    words = " ".join(what for _, what in sheet.texts())
    assert "Step" in words and "Right-click on the drawing pad" in words
    switch(window, qtbot, "de")
    keys = [key for key, _ in sheet.texts()]
    assert "Strg+0" in keys and "Leertaste" in keys and sheet.windowTitle() == "Tastenkürzel"
    assert "Rechtsklick auf die Zeichenfläche: leeren" in [what for _, what in sheet.texts()]
    sheet.close()


def test_the_memory_line_writes_its_sizes_the_language_s_way(qtbot, back_to_english):
    from convviz.gui.panels.controls import describe_arch

    english = describe_arch("lenet5", 64)
    i18n.set_language("de")
    german = describe_arch("lenet5", 64)
    assert "3.94\u00a0GB" in english and "4.45\u00a0MB" in english
    assert "3,94\u00a0GB" in german and "4,45\u00a0MB" in german, german
