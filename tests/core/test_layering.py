"""The core never knows about the screen: importing all of it loads no Qt and no ui."""

import pkgutil
import subprocess
import sys

import therapy_desk


def test_core_imports_without_pyside6_or_ui() -> None:
    modules = [m.name for m in pkgutil.walk_packages(therapy_desk.__path__, "therapy_desk.")]
    modules = [m for m in modules if ".migrations" not in m and m != "therapy_desk.__main__"]
    assert "therapy_desk.guidance" in modules and "therapy_desk.cli" in modules
    script = (
        "import importlib, sys\n"
        # Make any attempt to import Qt fail loudly, not just show up in sys.modules.
        "sys.modules['PySide6'] = None\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'ui' or m.startswith(('ui.', 'PySide6.')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_command_line_runs_without_pyside6(tmp_path) -> None:
    script = (
        "import sys; sys.modules['PySide6'] = None\n"
        "from therapy_desk.cli import main\n"
        f"raise SystemExit(main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'db', 'init']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "New clinic database ready" in result.stdout
