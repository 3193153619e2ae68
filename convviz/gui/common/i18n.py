"""English and German, through Qt's own translation mechanism; switched live.

Every text the window writes goes through :func:`translate` (``QCoreApplication.translate``
underneath), with a context (the panel) and the English source as literals, so Qt's own tool
extracts them::

    pylupdate5 convviz/gui/*.py convviz/gui/*/*.py -ts convviz/gui/translations/convviz_de.ts

The German catalogue is that Qt Linguist ``.ts`` file, edited in Qt Linguist or by hand. It is
read at run time by :class:`CatalogueTranslator`, a ``QTranslator`` that serves the file's
finished entries: no ``lrelease`` (it is not in the PyQt5 wheels) and no compiled ``.qm`` to keep
in step. Qt's own texts (dialog buttons, file dialogs) come from Qt's ``qtbase_de.qm``, which
PyQt5 ships. tests/gui/test_i18n.py checks that the catalogue holds every text of the source,
finished and with the same ``{placeholders}``.

Switching (:func:`set_language`) installs or removes the translators; Qt then sends every widget
a ``LanguageChange`` event and each panel's ``changeEvent`` writes its texts again. A text pushed
into a widget from outside (a status line, the error banner, the model's description) is a
:class:`Text`: a ``str`` that remembers its source and arguments, so the widget can render it
again in the new language (:func:`again`).

One number format per language, everywhere a number is shown (labels, tables, spin boxes,
the learning rate, the loss plot's axes): the decimal separator is the language's QLocale's
(0.05 and 0,05: :func:`number`, :func:`decimal`, :func:`percent`, :func:`locale`, which
:func:`set_language` makes Qt's default), and large counts are grouped by a comma in English
and by a narrow space in German ("60 000", as DIN 5008 has it), which no German reader takes
for a decimal comma (:class:`Count`).

Plurals go through Qt's numerus forms: ``translate(context, source, None, n)`` with ``%n`` in
the source, and a ``<message numerus="yes">`` entry in the catalogue with one
``<numerusform>`` per form (German and English both have two: one, and every other number;
English's are in ``convviz_en.ts``, which holds nothing else).
"""

from __future__ import annotations

import logging
import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from PyQt5 import QtCore

log = logging.getLogger(__name__)

CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "translations"
LANGUAGES = {"en": "English", "de": "Deutsch"}  # each named in its own language, in the Language menu
SOURCE_LANGUAGE = "en"  # the texts in the code are English
LANGUAGE_ENV = "CONVVIZ_LANG"  # overrides the system locale at start: de or en
GROUP_SEPARATORS = {"en": ",", "de": "\u202f"}  # thousands: 60,000 and 60 000 (a narrow no-break space)
LOCALES = {
    "en": (QtCore.QLocale.English, QtCore.QLocale.UnitedStates),
    "de": (QtCore.QLocale.German, QtCore.QLocale.Germany),
}

_language = SOURCE_LANGUAGE
_installed: list = []  # the translators installed on the application now (none for English)
_made: dict = {}  # language -> its translators, read once


class Retranslated:
    """Mixin for a widget with a ``retranslate()`` that writes its texts: called again on a language change.

    Put it before the Qt base class: ``class LossWidget(Retranslated, QtWidgets.QWidget)``.
    """

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError


def translate(context: str, source: str, disambiguation: None = None, n: int = -1) -> Text:
    """``source`` in the current language; ``.format(name=value)`` fills its ``{name}`` placeholders.

    Pass both as literals, so that pylupdate5 and the catalogue test find them. A plural is Qt's:
    ``translate("Ctx", "after %n batch(es)", None, n)``, ``%n`` written with the language's grouping and
    the form chosen for ``n`` from the catalogue's ``<numerusform>`` entries (English's from
    ``convviz_en.ts``, which holds only those).
    """
    return Text(context, source, n=n)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark a literal for the catalogue where it is defined; translate it where it is shown."""
    return source


def again(text):
    """``text`` rendered in the current language if it is a :class:`Text`; anything else as it is."""
    return text.again() if isinstance(text, Text) else text


class _Arguments(dict):
    """Format arguments that keep a placeholder not given yet (a frame filled in two steps)."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


class Text(str):
    """A translated string that knows its context, English source and arguments.

    It is a ``str`` (signals, labels and tests take it as one); :meth:`again` renders it
    anew after a language switch, arguments that are Texts included.
    """

    def __new__(cls, context: str, source: str, args: dict | None = None, n: int = -1):
        args = dict(args or {})
        n = int(n)
        rendered = None
        if n >= 0 and _language == SOURCE_LANGUAGE:
            rendered = _english_plurals().translate(context, source, None, n)
        if rendered is None:
            rendered = QtCore.QCoreApplication.translate(context, source, None, n)
        if args:
            rendered = rendered.format_map(_Arguments(args))
        self = super().__new__(cls, rendered)
        self.context, self.source, self.args, self.n = context, source, args, n
        return self

    def format(self, *args, **kwargs) -> Text:
        """Fill the placeholders (by name only: a translation may reorder them); the result is a Text."""
        if args:
            raise TypeError("a translated text takes named arguments only, such as {count}")
        return Text(self.context, self.source, {**self.args, **kwargs}, self.n)

    def again(self) -> Text:
        return Text(self.context, self.source, {name: again(value) for name, value in self.args.items()}, self.n)


class Count(int):
    """A whole number that formats with the current language's thousands separator: 60,000 or 60 000."""

    def __format__(self, spec: str) -> str:
        return format(int(self), spec or ",").replace(",", GROUP_SEPARATORS.get(_language, ","))

    def __str__(self) -> str:
        return format(self, "")


def count(value) -> Count:
    """``value`` rounded to a whole number, written with the language's grouping when formatted."""
    return Count(round(value))


def locale() -> QtCore.QLocale:
    """The current language's QLocale, without grouping (a spin box's 0,9 or 0.9; counts: :class:`Count`)."""
    chosen = QtCore.QLocale(*LOCALES[_language])
    chosen.setNumberOptions(QtCore.QLocale.OmitGroupSeparator | QtCore.QLocale.RejectGroupSeparator)
    return chosen


def number(value, spec: str = "g") -> str:
    """``format(value, spec)`` written the current language's way: its decimal separator, and its grouping
    where ``spec`` groups (``","``): ``number(0.05)`` is 0,05 and ``number(61706, ",")`` 61 706 in German."""
    text = format(value, spec)
    group = GROUP_SEPARATORS.get(_language, ",")
    return text.replace(",", "\0").replace(".", locale().decimalPoint()).replace("\0", group)


def decimal(value, places: int | None = None) -> str:
    """``value`` with the language's decimal separator: ``places`` digits after it, or as short as exact
    (Python's ``g``: 0.001, 1e-05). 0.5 in English, 0,5 in German."""
    return number(float(value), "g" if places is None else f".{places}f")


def decimal_text(text: str) -> str:
    """A number another library wrote (pyqtgraph's tick labels: 0.5, 1e-05) with the language's separator."""
    return text.replace(".", locale().decimalPoint())


def percent(fraction, places: int = 1) -> str:
    """A fraction as a percentage with the language's decimal separator: 99.2 % or 99,2 %."""
    return f"{decimal(100.0 * float(fraction), places)} %"


def read_decimal(text: str) -> float:
    """A number typed in either language's way (0.5 or 0,5); ValueError if it is none."""
    return float(text.strip().replace(locale().decimalPoint(), ".").replace(",", "."))


def read_catalogue(path) -> dict:
    """``{(context, source): translation}`` of a Qt Linguist .ts file's finished, non-empty entries;
    a plural's translation is the tuple of its ``<numerusform>`` texts (one, other)."""
    entries = {}
    for context in ElementTree.parse(str(path)).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            if message.get("numerus") == "yes":
                if forms and all(forms):
                    entries[(name, message.findtext("source") or "")] = forms
            elif translation.text:
                entries[(name, message.findtext("source") or "")] = translation.text
    return entries


def plural_form(n: int) -> int:
    """Which of a plural's forms ``n`` takes, in English and German alike: 0 for one, 1 for any other."""
    return 0 if n == 1 else 1


class CatalogueTranslator(QtCore.QTranslator):
    """A QTranslator serving the entries of a .ts catalogue (see :func:`read_catalogue`)."""

    def __init__(self, path, parent: QtCore.QObject | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.entries = read_catalogue(self.path)

    def translate(self, context, source, disambiguation=None, n=-1):
        entry = self.entries.get((context, source))  # None: not ours; Qt asks the next translator
        if isinstance(entry, tuple):  # a plural: its form for n, %n written as the language groups it
            form = entry[min(plural_form(n), len(entry) - 1)] if n >= 0 else entry[-1]
            return form.replace("%n", str(Count(max(n, 0))))
        return entry

    def isEmpty(self) -> bool:
        return not self.entries

    def language(self) -> str:
        return self.path.stem.rsplit("_", 1)[-1]


def catalogue_path(language: str) -> Path:
    return CATALOGUE_DIR / f"convviz_{language}.ts"


def _english_plurals() -> CatalogueTranslator:
    """English's plural forms (the source has one text for both), read once; never installed."""
    if "plurals" not in _made:
        _made["plurals"] = CatalogueTranslator(catalogue_path(SOURCE_LANGUAGE))
    return _made["plurals"]


def language() -> str:
    """The language the window speaks now: 'en' or 'de'."""
    return _language


def initial_language() -> str:
    """$CONVVIZ_LANG if it names a language, else German when the system locale is German, else English."""
    wanted = os.environ.get(LANGUAGE_ENV, "").strip().lower()[:2]
    if wanted in LANGUAGES:
        return wanted
    if wanted:
        log.warning("%s=%s is not one of %s: the system locale decides", LANGUAGE_ENV, wanted, ", ".join(LANGUAGES))
    return "de" if QtCore.QLocale.system().language() == QtCore.QLocale.German else SOURCE_LANGUAGE


def set_language(code: str) -> None:
    """Speak ``code`` ('en' or 'de') from now on; every widget is told (QEvent.LanguageChange) and retranslates."""
    global _language
    if code not in LANGUAGES:
        raise ValueError(f"the language is one of {', '.join(LANGUAGES)}, not {code!r}")
    app = QtCore.QCoreApplication.instance()
    if app is None:
        raise RuntimeError("set_language needs a QApplication")
    if code == _language:
        return
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _language = code  # before installing: the LanguageChange handlers format numbers for it
    QtCore.QLocale.setDefault(locale())  # widgets made from now on; the window sets it on those it has
    if code != SOURCE_LANGUAGE:
        _installed.extend(_translators(code, app))
        for translator in _installed:
            app.installTranslator(translator)
    log.info("language: %s", LANGUAGES[code])


def _translators(code: str, app: QtCore.QCoreApplication) -> list:
    """The catalogue's translator and Qt's own (Yes, Cancel, the file dialogs) for ``code``, made once."""
    if code not in _made:
        made = [CatalogueTranslator(catalogue_path(code), app)]
        qt_own = QtCore.QTranslator(app)
        if qt_own.load(f"qtbase_{code}", QtCore.QLibraryInfo.location(QtCore.QLibraryInfo.TranslationsPath)):
            made.append(qt_own)
        else:
            log.info("no qtbase_%s.qm: Qt's own buttons stay English", code)
        _made[code] = made
    return _made[code]


def marked(context: str, source: str) -> Text:
    """``source``, a text marked with :func:`QT_TRANSLATE_NOOP` where it is defined, in the current language."""
    return Text(context, source)


# Texts the core writes that the window shows as they are (it imports no Qt, so it cannot mark them):
# the networks' and batchings' descriptions and the pad's verdicts. Listed here for the catalogue;
# tests/gui/test_i18n.py keeps this list equal to the core's.
CORE_TEXTS = (
    QT_TRANSLATE_NOOP("Core", "Dense net 784-300-10 (the previous exercise)"),
    QT_TRANSLATE_NOOP("Core", "CNN: conv 64@5x5, pool, conv 96@3x3, pool, dense 128, dense 10"),
    QT_TRANSLATE_NOOP("Core", "Template CNN: conv 64@5x5, conv 64@5x5, dense 128, dense 10"),
    QT_TRANSLATE_NOOP("Core", "LeNet-5: pad to 32x32, conv 6@5x5, pool, conv 16@5x5, pool, conv 120@5x5, dense 84"),
    QT_TRANSLATE_NOOP("Core", "numpy: a random batch taken at the last moment, fed through placeholders"),
    QT_TRANSLATE_NOOP("Core", "tf.data: Dataset.from_tensor_slices + shuffle + batch, initializable iterator"),
    QT_TRANSLATE_NOOP("Core", "tf.estimator: Estimator with a model_fn returning an EstimatorSpec"),
    QT_TRANSLATE_NOOP("Core", "not sure"),
    QT_TRANSLATE_NOOP("Core", "not a digit"),
)


def core(source: str) -> Text:
    """A text of the core, in the current language if it is one of :data:`CORE_TEXTS`, else as it is."""
    return Text("Core", source)
