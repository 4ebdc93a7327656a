"""A fresh Linux machine: where Qt would abort ("could not load the Qt platform plugin
xcb"), `therapy-desk` names each missing library, the package that holds it and the
command that installs it, and exits with status 2; with no display it says so. Missing
libraries are simulated through the loader."""

from __future__ import annotations

import gc
import importlib.abc
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui import main as entry
from ui import platform_check
from ui.platform_check import LIBRARIES, NO_DISPLAY, packages, problem

README = Path(__file__).resolve().parents[2] / "README.md"
NOT_FOUND = "{}: cannot open shared object file: No such file or directory"


class FakeLoader:
    """Fails for the given sonames as the dynamic loader does; `needs` maps a library to
    one it needs, so loading it fails naming that one when that one is missing."""

    def __init__(self, missing: set[str], needs: dict[str, str] | None = None) -> None:
        self.missing = missing
        self.needs = needs or {}
        self.tried: list[str] = []

    def __call__(self, name: str) -> object:
        self.tried.append(name)
        if name.endswith("libqxcb.so"):  # the plugin needs every library
            for library in LIBRARIES:
                self(library.soname)
            return 1
        if name in self.missing:
            raise OSError(NOT_FOUND.format(name))
        if self.needs.get(name) in self.missing:
            raise OSError(NOT_FOUND.format(self.needs[name]))
        return 1


@pytest.fixture
def x11(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An X11 desktop session on Debian, Qt left to choose its platform."""
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    monkeypatch.setattr(platform_check, "_os_release", lambda: 'ID=debian\nNAME="Debian"\n')
    yield


def _never(name: str) -> object:
    raise AssertionError(f"nothing may be loaded here, yet {name} was")


def test_each_missing_library_is_named_with_its_package_and_the_app_stops(
    x11: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    loader = FakeLoader({"libxcb-icccm.so.4", "libxcb-keysyms.so.1"})
    monkeypatch.setattr(platform_check, "_dlopen", loader)

    assert entry.main([]) == 2

    err = capsys.readouterr().err
    assert err.splitlines() == [
        "therapy-desk: the window cannot open: Qt's X11 platform needs system libraries "
        "that are not installed:",
        "  libxcb-icccm.so.4  (Debian/Ubuntu: libxcb-icccm4; Fedora: xcb-util-wm)",
        "  libxcb-keysyms.so.1  (Debian/Ubuntu: libxcb-keysyms1; Fedora: xcb-util-keysyms)",
        "Install them, then start therapy-desk again:",
        "  sudo apt install libxcb-icccm4 libxcb-keysyms1",
        "The README lists every package the app needs.",
    ]
    assert "Traceback" not in err
    assert gc.isenabled()
    # The plugin first, then every library one by one to name them all.
    assert loader.tried[0].endswith("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert {library.soname for library in LIBRARIES} <= set(loader.tried[1:])


def test_the_library_the_loader_could_not_open_is_the_one_named(
    x11: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # xcb-cursor is installed but the render-util it needs is not; and libxcb itself is
    # there but lacks libXau, which is no package of ours.
    loader = FakeLoader(
        {"libxcb-render-util.so.0", "libXau.so.6"},
        needs={"libxcb-cursor.so.0": "libxcb-render-util.so.0", "libxcb.so.1": "libXau.so.6"},
    )
    monkeypatch.setattr(platform_check, "_os_release", lambda: "ID=fedora\n")

    told = problem(load=loader)

    assert told is not None
    lines = told.splitlines()
    assert lines[1:3] == [
        "  libXau.so.6",
        "  libxcb-render-util.so.0  (Debian/Ubuntu: libxcb-render-util0; "
        "Fedora: xcb-util-renderutil)",
    ]
    assert "  sudo dnf install xcb-util-renderutil" in lines
    assert not any("apt install" in line for line in lines)
    assert not any("libxcb-cursor" in line for line in lines)
    assert any("dnf provides" in line for line in lines)


def test_an_unknown_system_gets_both_commands(x11: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_check, "_os_release", lambda: "ID=arch\n")

    told = problem(load=FakeLoader({"libEGL.so.1"}))

    assert told is not None
    assert "  sudo apt install libegl1" in told.splitlines()
    assert "  sudo dnf install libglvnd-egl" in told.splitlines()


@pytest.mark.parametrize(
    ("os_release", "family"),
    [
        ('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', "debian"),
        ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "debian"),
        ('ID="rhel"\nID_LIKE="fedora"\n', "fedora"),
        ("ID=fedora\n", "fedora"),
        ("ID=arch\n", None),
        ("", None),
    ],
)
def test_the_family_of_the_system(os_release: str, family: str | None) -> None:
    assert platform_check.distro_family(os_release) == family


def test_no_display_at_all_is_said_plainly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(platform_check, "_dlopen", _never)

    assert entry.main([]) == 2

    assert capsys.readouterr().err.strip() == NO_DISPLAY
    assert gc.isenabled()


@pytest.mark.parametrize(
    "environ",
    [
        {"QT_QPA_PLATFORM": "offscreen:configfile=screen.json"},
        {"QT_QPA_PLATFORM": "vnc"},
        {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
        {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "wayland;xcb"},
        {"WAYLAND_DISPLAY": "wayland-0"},
    ],
)
def test_nothing_is_loaded_when_qt_will_not_use_x11(environ: dict[str, str]) -> None:
    assert problem(environ, load=_never) is None


@pytest.mark.parametrize(
    "environ",
    [
        {"DISPLAY": ":0"},
        {"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"},
        # Wayland asked first, but there is no Wayland display: Qt falls back to X11.
        {"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland;xcb"},
        {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"},
    ],
)
def test_x11_is_checked_whenever_qt_will_use_it(environ: dict[str, str]) -> None:
    told = problem(environ, load=FakeLoader({"libxcb-cursor.so.0"}), os_release="ID=debian")

    assert told is not None
    assert "  sudo apt install libxcb-cursor0" in told.splitlines()


def test_x11_asked_for_with_no_display_is_said_plainly() -> None:
    assert problem({"QT_QPA_PLATFORM": "xcb"}, load=_never) == NO_DISPLAY


def test_other_systems_are_left_to_qt() -> None:
    assert problem({}, load=_never, platform="win32") is None
    assert problem({}, load=_never, platform="darwin") is None


def test_qt_x11_loads_on_this_machine() -> None:
    # The real loader: this machine has every library the README names.
    assert problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}) is None


def test_a_library_qt_itself_lacks_is_named_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Off X11 (here offscreen) nothing is checked first: Qt's own libraries failing to
    load when the app imports Qt are named the same way."""

    class NoGL(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: object = None, target: object = None) -> None:
            if name == "ui.app":
                raise ImportError(NOT_FOUND.format("libGL.so.1"))

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(platform_check, "_os_release", lambda: "ID=debian\n")
    monkeypatch.delitem(sys.modules, "ui.app")
    monkeypatch.setattr(sys, "meta_path", [NoGL(), *sys.meta_path])

    assert entry.main([]) == 2

    err = capsys.readouterr().err
    assert "  libGL.so.1  (Debian/Ubuntu: libgl1; Fedora: libglvnd-glx)" in err.splitlines()
    assert "  sudo apt install libgl1" in err.splitlines()
    assert "Traceback" not in err
    assert gc.isenabled()


def test_the_readme_names_every_package() -> None:
    text = README.read_text(encoding="utf-8")
    apt = re.findall(r"^sudo apt install (.+)$", text, flags=re.MULTILINE)
    dnf = re.findall(r"^sudo dnf install (.+)$", text, flags=re.MULTILINE)

    assert [line.split() for line in apt] == [["python3-venv", *packages("debian")]]
    assert [line.split() for line in dnf] == [packages("fedora")]
