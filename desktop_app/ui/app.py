"""QApplication set-up: identity for QSettings, High-DPI, fonts, stylesheet and pyqtgraph defaults.

Kept apart from the main window so tests (which get their QApplication from pytest-qt)
and the real entry point apply exactly the same look.
"""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402
from PySide6.QtGui import QFont, QGuiApplication, QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop_app import __version__  # noqa: E402
from desktop_app.core.paths import resources_dir  # noqa: E402

ORGANISATION = "ArmedPolicingOptions"
APPLICATION = "Armed Policing Options Appraisal"
#: Base UI font size in points: large enough to read on a 14" 1366x768 laptop.
BASE_POINT_SIZE = 10
#: Dynamic property on the QApplication naming the style this module applied.
_STYLE_PROPERTY = "armedOptionsStyle"


def configure_pyqtgraph() -> None:
    """White charts with dark ink, antialiased: charts end up in board papers."""
    pg.setConfigOptions(antialias=True, background="w", foreground="#0b0c0c", imageAxisOrder="row-major")


def app_icon() -> QIcon:
    icon = QIcon()
    folder = resources_dir()
    for name in ("app-icon.svg", "app-icon-256.png", "app-icon-64.png", "app-icon-32.png"):
        path = folder / name
        if path.exists():
            icon.addFile(str(path))
    return icon


def stylesheet() -> str:
    """The app's stylesheet, with ``@RESOURCES@`` made the resources folder (its images,
    e.g. the spin-box arrows, wherever the app is installed)."""
    folder = resources_dir()
    try:
        text = (folder / "style.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
    return text.replace("@RESOURCES@", folder.resolve().as_posix())


def configure_application(app: QApplication) -> None:
    """Apply identity, font, style and chart defaults to an existing QApplication.

    Idempotent: the style, font and stylesheet are set only when they differ from what
    the application already has. Setting any of them makes Qt re-polish every live
    widget, and re-polishing widgets that are closed but not yet deleted (as a test
    session leaves them between tests) crashed the interpreter in ``setStyle``.
    """
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    # With a stylesheet set, ``app.style()`` is Qt's private stylesheet style (no name),
    # so the style applied is remembered on the application itself.
    if app.property(_STYLE_PROPERTY) != "Fusion":
        app.setStyle("Fusion")
        app.setProperty(_STYLE_PROPERTY, "Fusion")
    font = QFont(app.font())
    families = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans")
    font.setFamilies(list(families))
    font.setPointSize(BASE_POINT_SIZE)
    if app.font() != font:
        app.setFont(font)
    if app.windowIcon().isNull():
        app.setWindowIcon(app_icon())
    sheet = stylesheet()
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    configure_pyqtgraph()


def create_application(argv: list[str]) -> QApplication:
    """Create (or reuse) the QApplication with High-DPI scaling that does not round."""
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv)
    else:
        app = existing  # type: ignore[assignment]
    configure_application(app)
    return app
