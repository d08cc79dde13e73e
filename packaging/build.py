"""Build the one-folder app with PyInstaller and, on Windows, the per-user installer.

    python packaging/build.py                 # one-folder build -> packaging/dist/armed-options/
    python packaging/build.py --installer     # + Inno Setup installer (Windows, ISCC on PATH)
    python packaging/build.py --installer --sign   # + Authenticode signing (see docs/packaging.md)

The version comes from the package itself (``desktop_app.__version__``, which
is also what pyproject.toml's dynamic version reads), so the installer, the
executables' version resource and ``armed-options --version`` always agree.

Signing (``--sign``) uses signtool with a certificate whose private key stays
on a hardware token or HSM: set ``SIGN_CERT_SHA1`` to the certificate's
thumbprint, ``SIGN_TIMESTAMP_URL`` to the CA's RFC 3161 timestamp server and
optionally ``SIGNTOOL`` (path to signtool.exe). The executables (and unsigned
DLL/.pyd modules) inside the folder are signed BEFORE the installer is
compiled, so the installed files carry the signature that AppLocker/WDAC
publisher rules check; Inno Setup then signs the installer and its uninstaller
through its ``SignTool`` hook.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "armed_options.spec"
DIST = HERE / "dist"
WORK = HERE / "build"
APP_DIR = DIST / "armed-options"
INSTALLER_DIR = DIST / "installer"
DIST_NAME = "armed-policing-options"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
SHIPPED_EXES = ("armed-options", "armed-options-gui")  # the self-check exe is not installed


def app_version() -> str:
    """``desktop_app.__version__`` read from the source (no import of the app needed)."""
    text = (ROOT / "desktop_app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise SystemExit("build: no __version__ in desktop_app/__init__.py")
    version = match.group(1)
    try:
        installed = importlib.metadata.version(DIST_NAME)
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed and installed != version:
        print(f"build: warning: installed metadata says {installed}, source says {version}; "
              f"re-run 'pip install .[package]'", file=sys.stderr)
    return version


def numeric_version(version: str) -> str:
    """Windows version resources and Inno's VersionInfoVersion need four numbers.

    Only the leading release part counts: ``1.2.3rc1`` is ``1.2.3.0``, not ``1.2.3.1``.
    """
    match = re.match(r"\d+(?:\.\d+)*", version.strip())
    nums = match.group(0).split(".")[:4] if match else []
    return ".".join((nums + ["0"] * 4)[:4])


def folder_size_mb(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / (1024 * 1024)


def run(cmd: list[str]) -> None:
    print("build: $ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def build_folder(clean: bool) -> None:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(WORK)]
    if clean:
        cmd.append("--clean")
    run(cmd + [str(SPEC)])


def signtool_cmd() -> list[str]:
    thumb = os.environ.get("SIGN_CERT_SHA1")
    if not thumb:
        raise SystemExit("build: --sign needs SIGN_CERT_SHA1 (thumbprint of the code-signing "
                         "certificate whose key is on the hardware token)")
    stamp = os.environ.get("SIGN_TIMESTAMP_URL")
    if not stamp:
        raise SystemExit("build: --sign needs SIGN_TIMESTAMP_URL (your CA's RFC 3161 timestamp "
                         "server): an untimestamped signature dies with the certificate")
    tool = os.environ.get("SIGNTOOL") or shutil.which("signtool") or "signtool.exe"
    return [tool, "sign", "/sha1", thumb, "/fd", "SHA256", "/tr", stamp, "/td", "SHA256",
            "/d", "Armed Policing Options Appraisal"]


def is_signed(tool: str, path: Path) -> bool:
    done = subprocess.run([tool, "verify", "/pa", "/q", str(path)], capture_output=True, check=False)
    return done.returncode == 0


def sign_folder() -> None:
    """Sign our executables, and every DLL/.pyd in the folder that nobody signed.

    AppLocker only checks executables (and DLLs if DLL rules are on), but WDAC in
    enforced mode checks every module a process loads: Python's and Qt's DLLs
    come signed by their publishers, the many extension modules (.pyd) of numpy,
    pandas, scipy and others do not, so we sign those with our certificate.
    Files that already carry a valid signature keep it.
    """
    cmd = signtool_cmd()
    tool = cmd[0]
    ours = [APP_DIR / f"{name}{EXE_SUFFIX}" for name in SHIPPED_EXES]
    modules = sorted(p for ext in ("*.dll", "*.pyd") for p in (APP_DIR / "_internal").rglob(ext))
    unsigned = [p for p in modules if not is_signed(tool, p)]
    print(f"build: signing {len(ours)} executables and {len(unsigned)} unsigned of "
          f"{len(modules)} DLL/.pyd files", flush=True)
    targets = ours + unsigned
    for start in range(0, len(targets), 50):  # keep each command line well under Windows' limit
        run(cmd + [str(p) for p in targets[start:start + 50]])
    for f in ours:
        run([tool, "verify", "/pa", "/v", str(f)])


def find_iscc() -> str:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"),
                 os.environ.get("LOCALAPPDATA") and str(Path(os.environ["LOCALAPPDATA"]) / "Programs")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").is_file():
            return str(Path(base) / "Inno Setup 6" / "ISCC.exe")
    raise SystemExit("build: Inno Setup 6 not found (install it, or put ISCC.exe on PATH)")


def iscc_defines(version: str, source_dir: str, output_dir: str) -> list[str]:
    """The ``/D`` arguments installer.iss needs: one home for them, used by this build
    and by packaging/check_installer.py (which passes Wine's ``Z:\\...`` paths)."""
    return [f"/DMyAppVersion={version}", f"/DMyAppNumericVersion={numeric_version(version)}",
            f"/DSourceDir={source_dir}", f"/DOutputDir={output_dir}"]


def build_installer(version: str, sign: bool) -> None:
    INSTALLER_DIR.mkdir(parents=True, exist_ok=True)
    cmd = [find_iscc(), *iscc_defines(version, str(APP_DIR), str(INSTALLER_DIR))]
    if sign:
        # Inno Setup replaces $f with the quoted file to sign and $q with a quote; it signs
        # setup.exe and the uninstaller it generates.
        sign_line = " ".join(f"$q{part}$q" if " " in part else part for part in signtool_cmd())
        cmd += ["/DSignToolName=codesign", f"/Scodesign={sign_line} $f"]
    run(cmd + [str(HERE / "installer.iss")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--installer", action="store_true", help="also compile the Inno Setup installer (Windows)")
    parser.add_argument("--sign", action="store_true", help="Authenticode-sign the executables and installer")
    parser.add_argument("--clean", action="store_true", help="discard PyInstaller's cache first")
    args = parser.parse_args(argv)

    version = app_version()
    print(f"build: Armed Policing Options Appraisal {version} on {sys.platform}", flush=True)
    started = time.monotonic()
    build_folder(args.clean)
    print(f"build: one-folder build {APP_DIR} is {folder_size_mb(APP_DIR):.1f} MB "
          f"({time.monotonic() - started:.0f} s)", flush=True)
    if args.sign:
        if sys.platform != "win32":
            raise SystemExit("build: signing needs Windows (signtool)")
        sign_folder()
    if args.installer:
        if sys.platform != "win32":
            raise SystemExit("build: the Inno Setup installer is built on Windows")
        build_installer(version, args.sign)
        for setup in sorted(INSTALLER_DIR.glob("*.exe")):
            print(f"build: installer {setup} ({setup.stat().st_size / 1048576:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
