"""Before Qt starts on Linux: is there a display, and can Qt's X11 platform load?

Without one of the system libraries its X11 ("xcb") platform plugin needs, Qt aborts with
a core dump and a hint that names one package ("xcb-cursor0 is needed") whatever is
missing. `problem()` loads that plugin first, one dlopen the app would make a moment
later anyway; only when that fails is each library below tried, to name every missing
one with the package that provides it. No Qt import and no subprocess: this is on the
cold-start path, and runs only when Qt is about to use xcb.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping


class Library:
    """A shared library and the package that holds it on each family of systems (a plain
    class: importing `typing` for a NamedTuple would cost start-up 15 ms)."""

    __slots__ = ("soname", "debian", "fedora")

    def __init__(self, soname: str, debian: str, fedora: str) -> None:
        self.soname = soname
        self.debian = debian  # the Debian/Ubuntu package
        self.fedora = fedora  # the Fedora package


#: What PySide6's xcb plugin and the Qt libraries under it load from the system: the
#: NEEDED entries (readelf -d) of Qt/plugins/platforms/libqxcb.so and Qt/lib's
#: libQt6XcbQpa, libQt6Gui, libQt6DBus and libQt6Core, less the C and C++ runtimes.
LIBRARIES = (
    Library("libxcb.so.1", "libxcb1", "libxcb"),
    Library("libX11.so.6", "libx11-6", "libX11"),
    Library("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    Library("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    Library("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    Library("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    Library("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    Library("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    Library("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    Library("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    Library("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    Library("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    Library("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    Library("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    Library("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    Library("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    Library("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    Library("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    Library("libEGL.so.1", "libegl1", "libglvnd-egl"),
    Library("libGL.so.1", "libgl1", "libglvnd-glx"),
    Library("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
    Library("libfreetype.so.6", "libfreetype6", "freetype"),
    Library("libglib-2.0.so.0", "libglib2.0-0", "glib2"),
    Library("libgthread-2.0.so.0", "libglib2.0-0", "glib2"),
    Library("libdbus-1.so.3", "libdbus-1-3", "dbus-libs"),
)

#: Loaded only when printing (Qt's CUPS plugin: without it the print dialog lists no
#: printer), so not tried at start, but installed with the rest.
PRINTING = Library("libcups.so.2", "libcups2", "cups-libs")

#: A font for the screens (handouts embed their own).
FONTS = Library("", "fonts-dejavu-core", "dejavu-sans-fonts")


def packages(distro: str) -> list[str]:
    """Every system package the app needs on "debian" (and Ubuntu) or "fedora", in order,
    each once: the README's install commands."""
    found: list[str] = []
    for library in (*LIBRARIES, PRINTING, FONTS):
        package = library.debian if distro == "debian" else library.fedora
        if package not in found:
            found.append(package)
    return found


def install_command(distro: str, names: Iterable[str]) -> str:
    tool = "apt install" if distro == "debian" else "dnf install"
    return f"sudo {tool} {' '.join(names)}"


NO_DISPLAY = (
    "therapy-desk: there is no display to open the window on (neither DISPLAY nor "
    "WAYLAND_DISPLAY is set). Start it from a desktop session, or over SSH with X "
    "forwarding (ssh -X). The commands work without a display: therapy-desk --help "
    "lists them."
)

#: Opens a shared library, raising OSError with the loader's message if it cannot.
Loader = Callable[[str], object]


def problem(
    environ: Mapping[str, str] | None = None,
    load: Loader | None = None,
    *,
    platform: str = sys.platform,
    os_release: str | None = None,
) -> str | None:
    """Why Qt could not open the window here, in words for the user, or None (also
    whenever Qt will not use X11: Wayland, offscreen, another system)."""
    if not platform.startswith("linux"):
        return None
    env = os.environ if environ is None else environ
    asked = [part.split(":")[0].strip() for part in env.get("QT_QPA_PLATFORM", "").split(";")]
    asked = [name for name in asked if name]
    if asked and asked[0] not in ("xcb", "wayland"):
        return None  # offscreen, vnc, eglfs…: chosen on purpose, no desktop needed
    x11, wayland = bool(env.get("DISPLAY")), bool(env.get("WAYLAND_DISPLAY"))
    if not x11 and not wayland:
        return NO_DISPLAY
    if not asked:
        # What Qt itself picks: Wayland in a Wayland session, else X11.
        session_wayland = env.get("XDG_SESSION_TYPE", "") == "wayland"
        asked = ["wayland", "xcb"] if session_wayland else ["xcb"]
    usable = [name for name in asked if (name == "xcb" and x11) or (name == "wayland" and wayland)]
    if not usable or usable[0] != "xcb":
        return None
    loader = load or _dlopen
    plugin = xcb_plugin()
    failure = None if plugin is None else _failure(loader, plugin)
    if plugin is not None and failure is None:
        return None  # the usual case: one dlopen
    missing = missing_libraries(loader)
    if missing:
        return missing_message(missing, os_release)
    if failure is not None:
        return f"therapy-desk: the window cannot open: Qt's X11 platform did not load: {failure}"
    return None


def xcb_plugin() -> str | None:
    """PySide6's xcb platform plugin, found without importing PySide6."""
    for entry in sys.path:
        path = os.path.join(entry or ".", "PySide6", "Qt", "plugins", "platforms", "libqxcb.so")
        if os.path.exists(path):
            return path
    return None


def missing_libraries(load: Loader) -> list[str]:
    """Each library of LIBRARIES that cannot be opened, or that one of them needs and
    cannot find (the loader's message names the file it could not open)."""
    missing: list[str] = []
    for library in LIBRARIES:
        failure = _failure(load, library.soname)
        if failure is not None:
            name = unopened(failure) or library.soname
            if name not in missing:
                missing.append(name)
    return missing


def unopened(message: str) -> str | None:
    """The library a loader's message says it could not open, if that is what it says."""
    name, colon, rest = message.partition(":")
    if colon and "cannot open shared object file" in rest:
        return os.path.basename(name.strip())
    return None


def missing_message(missing: list[str], os_release: str | None = None) -> str:
    """What is missing, which package holds each, and the command that installs them."""
    by_name = {library.soname: library for library in LIBRARIES}
    lines = [
        "therapy-desk: the window cannot open: Qt's X11 platform needs system libraries "
        "that are not installed:"
    ]
    debian: list[str] = []
    fedora: list[str] = []
    unknown: list[str] = []
    for name in missing:
        library = by_name.get(name)
        if library is None:
            lines.append(f"  {name}")
            unknown.append(name)
            continue
        lines.append(f"  {name}  (Debian/Ubuntu: {library.debian}; Fedora: {library.fedora})")
        if library.debian not in debian:
            debian.append(library.debian)
        if library.fedora not in fedora:
            fedora.append(library.fedora)
    family = distro_family(_os_release() if os_release is None else os_release)
    if debian:
        lines.append("Install them, then start therapy-desk again:")
        if family in (None, "debian"):
            lines.append(f"  {install_command('debian', debian)}")
        if family in (None, "fedora"):
            lines.append(f"  {install_command('fedora', fedora)}")
    if unknown:
        lines.append(
            "Install the package that holds each file marked without one (apt-file search "
            "FILE or dnf provides '*/FILE' names it)."
        )
    lines.append("The README lists every package the app needs.")
    return "\n".join(lines)


def distro_family(os_release: str) -> str | None:
    """ "debian" (Debian, Ubuntu, Mint…), "fedora" (Fedora, RHEL…) or None, from the text
    of /etc/os-release."""
    words: list[str] = []
    for line in os_release.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            words += value.strip().strip("\"'").lower().split()
    if any(word in ("debian", "ubuntu") for word in words):
        return "debian"
    if any(word in ("fedora", "rhel", "centos") for word in words):
        return "fedora"
    return None


def _os_release() -> str:
    try:
        with open("/etc/os-release", encoding="utf-8") as file:
            return file.read()
    except OSError:
        return ""


def _failure(load: Loader, name: str | None) -> str | None:
    if name is None:
        return None
    try:
        load(name)
    except OSError as error:
        return str(error)
    return None


def _dlopen(name: str) -> object:
    # ctypes' own primitive: importing all of ctypes would cost start-up three times as much.
    from _ctypes import dlopen

    return dlopen(name, os.RTLD_LAZY | os.RTLD_LOCAL)
