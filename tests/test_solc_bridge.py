"""The compiler bridge (tools/solc-bridge.js behind .solcx/solc-v0.8.37) seen as native solc.

py-solc-x, and so ape-solidity, makes two kinds of call: `solc --version` and
`solc --standard-json [--base-path DIR] [--include-path DIR]... [--allow-paths ...]`.
These tests make both, directly and through py-solc-x, and check that a compile error
reaches the user of `ape compile`.
"""

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
import solcx
from packaging.version import Version
from solcx.install import get_executable, get_installed_solc_versions
from solcx.wrapper import get_solc_version

ROOT = Path(__file__).resolve().parents[1]
SOLCX_DIR = ROOT / ".solcx"
SOLC = SOLCX_DIR / "solc-v0.8.37"
VERSION = Version("0.8.37")


@pytest.fixture(scope="module")
def solc():
    assert os.access(SOLC, os.X_OK), f"{SOLC} missing: run `make setup`"
    return SOLC


def run_solc(solc, *args, stdin=None, cwd=None):
    return subprocess.run(
        [str(solc), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def standard_input(sources):
    return {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sources.items()},
        "settings": {
            "optimizer": {"enabled": False},
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object"]}},
        },
    }


def errors_of(output):
    return [e for e in output.get("errors", []) if e["severity"] == "error"]


# --- (a) --version as py-solc-x reads it ---------------------------------------------------


def test_version_output_looks_native(solc):
    result = run_solc(solc, "--version")
    assert result.returncode == 0, result.stderr
    assert "Version: 0.8.37+commit." in result.stdout


def test_py_solc_x_parses_version(solc):
    assert get_solc_version(solc) == VERSION
    with_hash = get_solc_version(solc, with_commit_hash=True)
    assert with_hash.base_version == "0.8.37"
    assert with_hash.local and with_hash.local.startswith("commit.")


def test_py_solc_x_finds_bridge_in_binary_path(solc, monkeypatch):
    monkeypatch.setenv("SOLCX_BINARY_PATH", str(SOLCX_DIR))
    assert VERSION in get_installed_solc_versions()
    assert get_executable(VERSION) == SOLC
    assert get_executable("0.8.37", solcx_binary_path=SOLCX_DIR) == SOLC


# --- (b) --standard-json ------------------------------------------------------------------

MAIN = """\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Base} from "lib/Base.sol";
import {Helper} from "vendor/Helper.sol";

contract Main is Base {
    function answer() external pure returns (uint256) {
        return Helper.double(BASE);
    }
}
"""

BASE = """\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

abstract contract Base {
    uint256 internal constant BASE = 21;
}
"""

HELPER = """\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

library Helper {
    function double(uint256 x) internal pure returns (uint256) {
        return 2 * x;
    }
}
"""


@pytest.fixture
def import_tree(tmp_path):
    """A base path holding lib/Base.sol and an include path holding vendor/Helper.sol."""
    base = tmp_path / "base"
    include = tmp_path / "include"
    (base / "lib").mkdir(parents=True)
    (include / "vendor").mkdir(parents=True)
    (base / "lib" / "Base.sol").write_text(BASE)
    (include / "vendor" / "Helper.sol").write_text(HELPER)
    return base, include


def test_standard_json_compiles_from_stdin(solc, tmp_path):
    source = (
        "// SPDX-License-Identifier: MIT\npragma solidity 0.8.37;\n"
        "contract Tiny { function one() external pure returns (uint8) { return 1; } }\n"
    )
    result = run_solc(
        solc,
        "--standard-json",
        stdin=json.dumps(standard_input({"Tiny.sol": source})),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert errors_of(output) == []
    tiny = output["contracts"]["Tiny.sol"]["Tiny"]
    assert [f["name"] for f in tiny["abi"]] == ["one"]
    assert len(tiny["evm"]["bytecode"]["object"]) > 20


def test_standard_json_resolves_base_and_include_paths(solc, import_tree, tmp_path):
    base, include = import_tree
    stdin = json.dumps(standard_input({"Main.sol": MAIN}))
    result = run_solc(
        solc,
        "--standard-json",
        "--base-path",
        str(base),
        "--include-path",
        str(include),
        "--allow-paths",
        f"{base},{include}",
        stdin=stdin,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert errors_of(output) == [], errors_of(output)
    # The imported files were read from disk and compiled under their import names.
    assert set(output["sources"]) == {"Main.sol", "lib/Base.sol", "vendor/Helper.sol"}
    assert output["contracts"]["Main.sol"]["Main"]["evm"]["bytecode"]["object"]
    assert "Helper" in output["contracts"]["vendor/Helper.sol"]

    # The `--flag=value` spelling works too.
    result = run_solc(
        solc,
        "--standard-json",
        f"--base-path={base}",
        f"--include-path={include}",
        stdin=stdin,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert errors_of(json.loads(result.stdout)) == []


def test_standard_json_without_include_path_reports_missing_import(solc, import_tree, tmp_path):
    base, _ = import_tree
    result = run_solc(
        solc,
        "--standard-json",
        "--base-path",
        str(base),
        stdin=json.dumps(standard_input({"Main.sol": MAIN})),
        cwd=tmp_path,
    )
    # Like native solc, errors go into the JSON output, not the exit code.
    assert result.returncode == 0, result.stderr
    messages = " ".join(e["message"] for e in errors_of(json.loads(result.stdout)))
    assert "vendor/Helper.sol" in messages
    assert "lib/Base.sol" not in messages


def test_py_solc_x_compile_standard_through_bridge(solc, import_tree):
    # The call ape-solidity makes: compile_standard with a base path (py-solc-x 2.0.5 has
    # no include-path argument), so put both imported files under the base path here.
    base, include = import_tree
    (base / "vendor").mkdir()
    (base / "vendor" / "Helper.sol").write_text(HELPER)
    output = solcx.compile_standard(
        standard_input({"Main.sol": MAIN}), solc_binary=solc, base_path=base, allow_paths=[base]
    )
    assert errors_of(output) == []
    abi = output["contracts"]["Main.sol"]["Main"]["abi"]
    assert [f["name"] for f in abi] == ["answer"]


def test_py_solc_x_raises_compiler_error_through_bridge(solc, tmp_path):
    with pytest.raises(solcx.exceptions.SolcError) as info:
        solcx.compile_standard(
            standard_input({"Broken.sol": BROKEN}), solc_binary=solc, base_path=tmp_path
        )
    assert "DeclarationError: Undeclared identifier" in str(info.value)
    assert "Broken.sol:6:" in str(info.value)


# --- (c) calls the bridge was not built for ---------------------------------------------


@pytest.mark.parametrize("args", [["--bogus"], ["--combined-json", "abi"], []])
def test_unsupported_call_fails(solc, args):
    result = run_solc(solc, *args, stdin="")
    assert result.returncode != 0
    assert "solc-bridge" in result.stderr
    assert result.stdout == ""


# --- (d) a compile error surfaces through `ape compile` -----------------------------------

BROKEN = """\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Broken {
    function value() external pure returns (uint256) {
        return undefinedThing + 1;
    }
}
"""


def test_ape_compile_reports_compiler_error(solc, tmp_path):
    venv_bin = ROOT / ".venv" / "bin"
    ape_exe = venv_bin / "ape"
    assert ape_exe.exists(), f"{ape_exe} missing: run `make setup`"
    project = tmp_path / "broken-project"
    (project / "contracts").mkdir(parents=True)
    (project / "ape-config.yaml").write_text(
        textwrap.dedent("""\
        name: broken
        plugins:
          - name: solidity
          - name: foundry
        solidity:
          version: 0.8.37
        """)
    )
    (project / "contracts" / "Broken.sol").write_text(BROKEN)

    env = {
        **os.environ,
        "SOLCX_BINARY_PATH": str(SOLCX_DIR),
        "PATH": os.pathsep.join(
            [str(venv_bin), str(ROOT / "node_modules" / ".bin"), os.environ.get("PATH", "")]
        ),
        "APE_DATA_FOLDER": str(tmp_path / "ape-data"),
        "NO_COLOR": "1",
    }
    result = subprocess.run(
        [str(ape_exe), "compile"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "DeclarationError" in out, out
    assert "Undeclared identifier" in out, out
    assert "contracts/Broken.sol:6:16" in out, out
    assert "undefinedThing + 1" in out, out  # the offending line, quoted by the compiler
