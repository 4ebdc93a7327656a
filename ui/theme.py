"""Themes: light and dark following the system, a high-contrast theme, and larger text.

Fusion everywhere so a palette looks the same on every platform. The choice is UI
state, kept in QSettings by the main window.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6 import QtCore
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"
    HIGH_CONTRAST = "high_contrast"

    @property
    def label(self) -> str:
        return {
            Theme.SYSTEM: "Follow the system (light or dark)",
            Theme.LIGHT: "Light",
            Theme.DARK: "Dark",
            Theme.HIGH_CONTRAST: "High contrast",
        }[self]


#: Body text size in points, and the size with "Larger text" on.
BASE_POINT_SIZE = 10
LARGER_POINT_SIZE = 13

_ROLES = QPalette.ColorRole


def _palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (_ROLES.Text, _ROLES.WindowText, _ROLES.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


def light_palette() -> QPalette:
    return _palette(
        {
            _ROLES.Window: "#f4f5f7",
            _ROLES.WindowText: "#1d1f23",
            _ROLES.Base: "#ffffff",
            _ROLES.AlternateBase: "#eef1f5",
            _ROLES.Text: "#1d1f23",
            _ROLES.Button: "#e8eaee",
            _ROLES.ButtonText: "#1d1f23",
            _ROLES.Highlight: "#2a62b8",
            _ROLES.HighlightedText: "#ffffff",
            _ROLES.ToolTipBase: "#ffffe6",
            _ROLES.ToolTipText: "#1d1f23",
            _ROLES.PlaceholderText: "#6b7078",
            _ROLES.Link: "#1d55a8",
            _ROLES.Mid: "#b9bec7",
        },
        "#8a8f98",
    )


def dark_palette() -> QPalette:
    return _palette(
        {
            _ROLES.Window: "#202329",
            _ROLES.WindowText: "#e6e8eb",
            _ROLES.Base: "#16181c",
            _ROLES.AlternateBase: "#1d2025",
            _ROLES.Text: "#e6e8eb",
            _ROLES.Button: "#2c3038",
            _ROLES.ButtonText: "#e6e8eb",
            _ROLES.Highlight: "#4c8ee8",
            _ROLES.HighlightedText: "#0b0c0e",
            _ROLES.ToolTipBase: "#2c3038",
            _ROLES.ToolTipText: "#e6e8eb",
            _ROLES.PlaceholderText: "#8d939c",
            _ROLES.Link: "#7fb0f5",
            _ROLES.Mid: "#4a505a",
        },
        "#6f747c",
    )


def high_contrast_palette() -> QPalette:
    """Black and white with yellow focus: for low vision after optic neuritis."""
    return _palette(
        {
            _ROLES.Window: "#000000",
            _ROLES.WindowText: "#ffffff",
            _ROLES.Base: "#000000",
            _ROLES.AlternateBase: "#141414",
            _ROLES.Text: "#ffffff",
            _ROLES.Button: "#000000",
            _ROLES.ButtonText: "#ffffff",
            _ROLES.Highlight: "#ffff00",
            _ROLES.HighlightedText: "#000000",
            _ROLES.ToolTipBase: "#000000",
            _ROLES.ToolTipText: "#ffffff",
            _ROLES.PlaceholderText: "#c8c8c8",
            _ROLES.Link: "#00ffff",
            _ROLES.Mid: "#ffffff",
        },
        "#a0a0a0",
    )


#: Settings: whether the system was dark when last asked (see `remembered_system_dark`).
SYSTEM_DARK_KEY = "theme/system_dark"


def system_is_dark() -> bool:
    """Ask the system. The first ask makes PySide build its whole `Qt` namespace (12 ms),
    which start-up leaves until after the first paint."""
    return QGuiApplication.styleHints().colorScheme() == QtCore.Qt.ColorScheme.Dark


def remembered_system_dark(store: QSettings) -> bool | None:
    """Whether the system was dark when last asked (None if never): what start-up paints
    with, until `follow_system` checks."""
    if not store.contains(SYSTEM_DARK_KEY):
        return None
    return bool(store.value(SYSTEM_DARK_KEY, False, type=bool))


def effective(theme: Theme, *, system_dark: bool | None = None) -> Theme:
    """The theme to paint: SYSTEM resolves to light or dark (by `system_dark` if known)."""
    if theme is Theme.SYSTEM:
        dark = system_is_dark() if system_dark is None else system_dark
        return Theme.DARK if dark else Theme.LIGHT
    return theme


def follow_system(app: QApplication, store: QSettings) -> None:
    """Check the system's light or dark now, remember it, and follow it from now on:
    with the theme set to follow the system, a change shows at once."""

    def check() -> None:
        dark = system_is_dark()
        store.setValue(SYSTEM_DARK_KEY, dark)
        theme = Theme(str(store.value("theme", Theme.SYSTEM.value)))
        if effective(theme, system_dark=dark).value != app.property(_SHOWN):
            apply_theme(
                app,
                theme,
                larger_text=store.value("larger_text", False, type=bool),
                system_dark=dark,
            )

    check()
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: check())


def _style_sheet(theme: Theme) -> str:
    error = {"light": "#b3261e", "dark": "#ff8a80", "high_contrast": "#ffff00"}[theme.value]
    border = "#ffffff" if theme is Theme.HIGH_CONTRAST else "palette(mid)"
    focus = "#ffff00" if theme is Theme.HIGH_CONTRAST else "palette(highlight)"
    width = "2px" if theme is Theme.HIGH_CONTRAST else "1px"
    return f"""
QLabel#fieldError, QLabel#formError {{ color: {error}; }}
QLabel#formError {{ font-weight: bold; }}
*[invalid="true"] {{ border: 2px solid {error}; }}
QLabel#clientName {{ font-size: 150%; font-weight: bold; }}
QLabel#pageTitle {{ font-size: 140%; font-weight: bold; }}
QLabel#sectionTitle {{ font-size: 115%; font-weight: bold; }}
QLabel#flag, QPushButton#flag {{
    border: {width} solid {border}; border-radius: 8px; padding: 1px 8px;
}}
QLabel#flag[tone="warn"], QPushButton#flag[tone="warn"] {{ border-color: {error}; color: {error}; }}
QPushButton#flag:hover {{ text-decoration: underline; }}
QPushButton#flag:focus {{ border: 2px solid {focus}; }}
QFrame#advisory {{ border: {width} solid {border}; border-radius: 6px; }}
QFrame#advisory[dismissed="true"] {{ border-style: dashed; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus,
QDoubleSpinBox:focus, QDateEdit:focus, QTableView:focus, QListWidget:focus,
QTreeWidget:focus, QTabBar::tab:focus, QPushButton:focus, QCheckBox:focus {{
    outline: 2px solid {focus};
}}
QPushButton:focus {{ border: 2px solid {focus}; }}
{_outlines(theme)}"""


def _outlines(theme: Theme) -> str:
    """Dark and high-contrast palettes leave Fusion's field frames and check boxes too
    faint to find; draw them plainly."""
    if theme is Theme.LIGHT:
        return ""
    edge = "#ffffff" if theme is Theme.HIGH_CONTRAST else "#8d939c"
    fields = (
        f"QLineEdit, QPlainTextEdit, QTextEdit, QAbstractItemView {{ border: 1px solid {edge}; }}"
        if theme is Theme.HIGH_CONTRAST
        else ""
    )
    return f"""
QCheckBox::indicator {{ width: 14px; height: 14px; border: 2px solid {edge}; border-radius: 3px;
    background: palette(base); }}
QCheckBox::indicator:checked {{ background: palette(highlight); }}
QCheckBox::indicator:focus {{ border-color: palette(highlight); }}
{fields}
"""


#: The app's property naming the theme on screen (a Theme value).
_SHOWN = "therapy_desk_theme"


#: Qt's own command-line option for Fusion, for an app about to be made: Qt then makes
#: the style itself, whereas `setStyle` hands PySide the style object, whose Python type
#: it takes 5 ms to work out (the first time), which start-up can do without.
FUSION_ARGUMENTS = ("-style", "fusion")


def apply_theme(
    app: QApplication,
    theme: Theme,
    *,
    larger_text: bool,
    system_dark: bool | None = None,
    set_style: bool = True,
) -> Theme:
    """Apply a theme now; returns the one in effect (SYSTEM resolves to light or dark, by
    `system_dark` when given, else by asking the system). `set_style=False` when the app
    was made with `FUSION_ARGUMENTS`."""
    shown = effective(theme, system_dark=system_dark)
    if set_style:
        app.setStyle("Fusion")
    palette = {
        Theme.LIGHT: light_palette,
        Theme.DARK: dark_palette,
        Theme.HIGH_CONTRAST: high_contrast_palette,
    }[shown]()
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSize(LARGER_POINT_SIZE if larger_text else BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(_style_sheet(shown))
    app.setProperty(_SHOWN, shown.value)
    return shown
