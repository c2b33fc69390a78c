"""The Python package `jeton` is importable and reports the version pyproject.toml declares."""

import tomllib
from importlib.metadata import version as dist_version
from pathlib import Path

import jeton

ROOT = Path(__file__).resolve().parents[1]


def pyproject_version():
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_version_matches_pyproject():
    assert isinstance(jeton.__version__, str) and jeton.__version__
    assert jeton.__version__ == pyproject_version()


def test_package_imported_from_this_checkout():
    # The editable install must point at python/jeton of this project, not a stale copy.
    assert Path(jeton.__file__).resolve().parent == ROOT / "python" / "jeton"


def test_installed_metadata_matches_pyproject():
    # `make setup` installs the package (editable) into the project's venv.
    assert dist_version("jeton") == pyproject_version()
