"""resources/ loads from a wheel installed in a fresh virtual environment, not only the tree."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_carries_resources_and_migrations(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("therapy_desk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "therapy_desk/_resources/catalogue/exercises.toml",
        "therapy_desk/_resources/catalogue/measures.toml",
        "therapy_desk/_resources/schema/client-record.v1.schema.json",
        "therapy_desk/db/migrations/env.py",
        "therapy_desk/db/migrations/script.py.mako",
    ):
        assert needed in names
    assert any(n.startswith("therapy_desk/db/migrations/versions/") for n in names)

    # A fresh environment holding only the wheel; its dependencies are borrowed from
    # this environment by path (a plain .pth line), so the editable checkout is not seen.
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    zipfile.ZipFile(wheel).extractall(site)
    Path(site, "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    script = (
        "import therapy_desk, therapy_desk.resources as r\n"
        "from therapy_desk.library import exercises, measures, device_guides\n"
        f"assert str(r.resources_dir()).startswith({site!r}), r.resources_dir()\n"
        "assert len(exercises()) >= 60 and len(measures()) >= 10 and len(device_guides()) >= 15\n"
        "from therapy_desk.cli import main\n"
        f"db = {str(tmp_path / 'w.sqlite3')!r}\n"
        "raise SystemExit(main(['--db', db, 'demo', '--clients', '3']))\n"
    )
    ran = subprocess.run(
        [python, "-c", script], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr
