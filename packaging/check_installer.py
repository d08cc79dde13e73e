"""The Windows installer, compiled, installed and uninstalled under Wine (issue 18).

    python packaging/check_installer.py [--app-dir packaging/dist/armed-options] [--keep]

.ci/run calls it after packaging/check_frozen.sh, which leaves the Linux one-folder
build in packaging/dist/armed-options. What it does, in a fresh Wine prefix:

1. Gets Inno Setup's command-line compiler (ISCC.exe) from the npm package
   ``innosetup`` (pinned below) and runs it under Wine on ``packaging/installer.iss``,
   with the same ``/D`` defines packaging/build.py passes on Windows.
2. The payload is a STAND-IN for the Windows one-folder build: PyInstaller does not
   cross-compile and no Windows CPython can be installed here, so the tree is the
   Linux build's regular files at the same paths, the three launchers renamed
   ``.exe`` (docs/packaging.md#why-the-payload-is-a-stand-in-not-a-windows-build).
3. Installs it silently per user (``/VERYSILENT /CURRENTUSER``) and checks what the
   script says: every file byte-identical under ``%LOCALAPPDATA%\\Programs\\Armed
   Policing Options`` (the self-check exe left out), ``unins000.exe`` there, the
   Start-menu shortcuts' targets and working folders, the uninstall entry under HKCU
   (none under HKLM), and nothing written outside the user's profile.
4. Installs again over it: a stale file in ``_internal`` is removed ([InstallDelete]).
5. Uninstalls silently: the folder, the shortcuts and the uninstall entry are gone,
   and the user's own data in ``%APPDATA%\\ArmedOptions`` is still there.

Exit 0 when every check passes, 1 with a ``INSTALLER CHECK FAILED:`` line otherwise.
Only generous timeouts: nothing here fails because the machine is slow.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def _script(name: str) -> ModuleType:
    """Import a packaging/ script by path (packaging/ is a folder of scripts, not a
    package, and a bare ``import build`` could find PyPI's ``build`` instead)."""
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


build = _script("build")
lnk = _script("lnk")

INNO_NPM_PIN = "6.4.1"  # the npm package innosetup ships ISCC.exe of Inno Setup 6.4.1
ISS = HERE / "installer.iss"
WORK = HERE / "build" / "installer-check"
LAUNCHERS = ("armed-options", "armed-options-gui", "armed-options-selfcheck")
UNINSTALL_KEY = r"Software\Microsoft\Windows\CurrentVersion\Uninstall"
#: Generous ceilings in seconds (a loaded 2-core machine compresses about 290 MB in
#: 2-4 minutes); they only stop a hung Wine, never judge speed.
TIMEOUTS = {"npm": 600, "wineboot": 600, "compile": 2400, "install": 1200, "uninstall": 900, "query": 300}
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

T0 = time.monotonic()


class CheckFailed(Exception):
    """One check did not hold; the message says which and why."""


def step(text: str) -> None:
    print(f"-- installer: {text} ({time.monotonic() - T0:.0f} s)", flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


class Wine:
    """One throwaway Wine prefix; every Windows program of the check runs in it."""

    def __init__(self, prefix: Path, home: Path) -> None:
        self.prefix = prefix
        # winemenubuilder would copy Start-menu entries into the real user's desktop
        # menus; mscoree/mshtml would offer to download Mono and Gecko. HOME keeps Wine
        # from linking the prefix's Documents to the real user's.
        self.env = dict(os.environ, WINEPREFIX=str(prefix), WINEARCH="win64", WINEDEBUG="-all",
                        WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d", HOME=str(home))

    def run(self, args: list[str], what: str, *, check: bool = True) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(["wine", *args], env=self.env, capture_output=True, text=True,
                                  timeout=TIMEOUTS[what], stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired as exc:
            self.kill()
            raise CheckFailed(f"{what}: Wine did not finish within {TIMEOUTS[what]} s") from exc
        if check and done.returncode != 0:
            raise CheckFailed(f"{what}: wine {' '.join(args[:2])} exited {done.returncode}\n"
                              f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
        return done

    def wait(self) -> None:
        """Wait until every process in the prefix has exited (the uninstaller re-launches
        itself from %TEMP%) and the registry is saved to disk."""
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=TIMEOUTS["uninstall"], check=False)

    def kill(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, timeout=60, check=False)

    def to_windows(self, path: Path) -> str:
        return subprocess.run(["winepath", "-w", str(path)], env=self.env, capture_output=True, text=True,
                              timeout=TIMEOUTS["query"], check=True).stdout.strip()

    def to_unix(self, path: str) -> Path:
        """The Unix path, resolved (winepath answers through the prefix's dosdevices/c: link)."""
        return Path(subprocess.run(["winepath", "-u", path], env=self.env, capture_output=True, text=True,
                                   timeout=TIMEOUTS["query"], check=True).stdout.strip()).resolve()

    def env_var(self, name: str) -> str:
        return self.run(["cmd", "/c", f"echo %{name}%"], "query").stdout.strip()

    def reg_values(self, key: str) -> dict[str, str] | None:
        """The string values of a registry key, or None when the key does not exist."""
        done = self.run(["reg", "query", key], "query", check=False)
        if done.returncode != 0:
            return None
        values = {}
        for line in done.stdout.splitlines():
            match = re.match(r"\s+(\S.*?)\s+REG_\w+\s+(.*)$", line)
            if match:
                values[match.group(1)] = match.group(2).strip()
        return values


def script_settings() -> dict[str, str]:
    """AppId, the names and the Start-menu target from installer.iss, as its #defines give them."""
    text = ISS.read_text(encoding="utf-8")
    defines = dict(re.findall(r'^#define (\w+) "([^"]*)"', text, re.M))
    app_id = re.search(r"^AppId=\{(\{[0-9A-F-]+\})", text, re.M)
    expect(app_id is not None, "installer.iss has no AppId={{GUID}")
    assert app_id is not None
    return {"app_id": app_id.group(1), "name": defines["MyAppName"], "short_name": defines["MyAppShortName"],
            "exe": defines["MyAppExeName"]}


def fetch_iscc(cache: Path) -> Path:
    """ISCC.exe from the pinned npm package (kept between runs in packaging/build/)."""
    iscc = cache / "node_modules" / "innosetup" / "bin" / "ISCC.exe"
    version_file = cache / "node_modules" / "innosetup" / "package.json"
    if not (iscc.is_file() and f'"version": "{INNO_NPM_PIN}"' in version_file.read_text(encoding="utf-8")):
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(cache), "--no-save", "--no-audit", "--no-fund",
                        "--loglevel", "error", f"innosetup@{INNO_NPM_PIN}"], check=True, timeout=TIMEOUTS["npm"])
    expect(iscc.is_file(), f"npm package innosetup@{INNO_NPM_PIN} has no {iscc}")
    return iscc


def windows_name_problems(relative: list[str]) -> list[str]:
    """Paths Windows could not hold: reserved names, forbidden characters, trailing dots
    or spaces, or two names in one folder that differ only in case."""
    problems, seen = [], {}
    for rel in relative:
        for part in rel.split("/"):
            if (re.search(r'[<>:"|?*\x00-\x1f\\]', part) or part.endswith((".", " "))
                    or part.split(".")[0].upper() in WINDOWS_RESERVED):
                problems.append(f"{rel}: '{part}' is not a valid Windows file name")
        folded = rel.lower()
        if folded in seen and seen[folded] != rel:
            problems.append(f"{rel} and {seen[folded]} differ only in case")
        seen[folded] = rel
    return problems


def make_standin(app_dir: Path, dest: Path) -> tuple[dict[str, int], int]:
    """The stand-in Windows tree: every regular file of the Linux build (hard-linked,
    else copied) with the launchers renamed .exe. PyInstaller's Linux-only symlinks
    (top-level aliases of shared libraries) are left out, as a Windows build has none.
    Returns {relative path: size} and the number of symlinks left out."""
    shutil.rmtree(dest, ignore_errors=True)
    files: dict[str, int] = {}
    skipped = 0
    for path in sorted(app_dir.rglob("*")):
        if path.is_symlink():
            skipped += 1
            continue
        if not path.is_file():
            continue
        rel = path.relative_to(app_dir).as_posix()
        if rel in LAUNCHERS:
            rel += ".exe"
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        files[rel] = path.stat().st_size
    return files, skipped


def tree(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def outside_profile(drive_c: Path, user_dir: Path) -> set[str]:
    """Every file on the prefix's C: drive outside the user's profile (and Wine's temp)."""
    return {p.relative_to(drive_c).as_posix() for p in drive_c.rglob("*")
            if p.is_file() and user_dir not in p.parents and "temp" not in p.relative_to(drive_c).parts[:3]}


def compile_installer(wine: Wine, iscc: Path, standin: Path, out_dir: Path) -> Path:
    version = build.app_version()
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    defines = build.iscc_defines(version, wine.to_windows(standin), wine.to_windows(out_dir))
    started = time.monotonic()
    done = wine.run([str(iscc), "/Q", *defines, wine.to_windows(ISS)], "compile", check=False)
    if done.returncode != 0:
        hint = " (is wine32:i386 installed? ISCC.exe is a 32-bit program)" if "wine32" in done.stderr else ""
        raise CheckFailed(f"ISCC exited {done.returncode}{hint}:\n{done.stdout[-4000:]}{done.stderr[-2000:]}")
    setups = sorted(out_dir.glob("*.exe"))
    expect([s.name for s in setups] == [f"ArmedPolicingOptions-{version}-setup.exe"],
           f"expected one ArmedPolicingOptions-{version}-setup.exe in {out_dir}, found {setups}")
    print(f"compiled {setups[0].name}: {setups[0].stat().st_size / 2**20:.1f} MB in "
          f"{time.monotonic() - started:.0f} s (Inno Setup {INNO_NPM_PIN}, LZMA2 max)", flush=True)
    return setups[0]


def run_setup(wine: Wine, setup: Path, log: Path) -> str:
    """Silent per-user install; returns Setup's own log."""
    done = wine.run([str(setup), "/VERYSILENT", "/CURRENTUSER", "/SUPPRESSMSGBOXES", "/NORESTART",
                     f"/LOG={wine.to_windows(log)}"], "install", check=False)
    wine.wait()
    text = log.read_text(encoding="utf-8-sig", errors="replace") if log.is_file() else "(no log)"
    expect(done.returncode == 0, f"setup exited {done.returncode}:\n{text[-3000:]}")
    return text


def check_installed(wine: Wine, ctx: dict, log_text: str) -> None:
    app: Path = ctx["app"]
    expect("Administrative install mode: No" in log_text and "Install mode root key: HKEY_CURRENT_USER" in log_text,
           "Setup did not run in per-user (non-administrative) install mode; see its log")
    expect(app.is_dir(), f"nothing installed at {app} (%LOCALAPPDATA%\\Programs\\{ctx['short_name']})")
    installed = tree(app)
    expected = {rel: size for rel, size in ctx["standin_files"].items() if not rel.startswith("armed-options-selfcheck")}
    extra = sorted(set(installed) - set(expected) - {"unins000.exe", "unins000.dat"})
    missing = sorted(set(expected) - set(installed))
    expect(not missing, f"{len(missing)} files of the build were not installed, e.g. {missing[:5]}")
    expect(not extra, f"unexpected files installed: {extra[:5]}")
    expect("unins000.exe" in installed and "unins000.dat" in installed, f"no uninstaller in {app}")
    differ = [rel for rel in expected if sha256(app / rel) != sha256(ctx["standin"] / rel)]
    expect(not differ, f"{len(differ)} installed files differ from the build, e.g. {differ[:5]}")
    print(f"installed {len(expected)} files ({sum(expected.values()) / 2**20:.0f} MB), byte-identical, "
          f"self-check exe left out, uninstaller present, at {ctx['app_win']}", flush=True)

    app_win = ctx["app_win"]
    main = lnk.read_shortcut((ctx["programs"] / f"{ctx['name']}.lnk").read_bytes())
    expect(main.target.lower() == f"{app_win}\\{ctx['exe']}".lower(), f"Start-menu shortcut opens {main.target}")
    expect(main.working_dir.lower() == ctx["docs_win"].lower(),
           f"Start-menu shortcut starts in {main.working_dir}, not the user's Documents")
    docs = lnk.read_shortcut((ctx["programs"] / f"{ctx['name']} documentation.lnk").read_bytes())
    expect(docs.target.lower() == f"{app_win}\\_internal\\docs".lower() and (app / "_internal" / "docs").is_dir(),
           f"documentation shortcut opens {docs.target}")
    expect(not list(ctx["desktop"].glob("*.lnk")), "a desktop icon was created although its task is unchecked")
    print(f"Start menu: '{ctx['name']}.lnk' -> {main.target} (in {main.working_dir}); documentation shortcut "
          f"-> {docs.target}; no desktop icon", flush=True)

    key = f"HKCU\\{UNINSTALL_KEY}\\{ctx['app_id']}_is1"
    values = wine.reg_values(key)
    expect(values is not None, f"no uninstall entry {key}")
    assert values is not None
    expect(values.get("UninstallString", "").strip('"').lower() == f"{app_win}\\unins000.exe".lower(),
           f"uninstall entry runs {values.get('UninstallString')}")
    expect(values.get("DisplayName") == ctx["name"] and values.get("DisplayVersion") == build.app_version(),
           f"uninstall entry shows {values.get('DisplayName')} {values.get('DisplayVersion')}")
    for hklm in (f"HKLM\\{UNINSTALL_KEY}", "HKLM\\Software\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall"):
        expect(wine.reg_values(f"{hklm}\\{ctx['app_id']}_is1") is None, f"a per-machine uninstall entry under {hklm}")
    print(f"uninstall entry {key}: {values.get('DisplayName')} {values.get('DisplayVersion')}, "
          f"{values.get('UninstallString')}; none under HKLM", flush=True)

    written = outside_profile(ctx["drive_c"], ctx["profile"]) - ctx["outside_before"]
    expect(not written, f"the installer wrote outside the user's profile: {sorted(written)[:5]}")


def check_upgrade(wine: Wine, ctx: dict, setup: Path) -> None:
    stale = ctx["app"] / "_internal" / "stale-from-an-older-version.pyd"
    stale.write_bytes(b"old")
    log_text = run_setup(wine, setup, ctx["work"] / "reinstall.log")
    expect(not stale.exists(), "reinstalling left a file of the previous version in _internal")
    check_installed(wine, ctx, log_text)
    print("reinstall over the same folder cleared _internal first ([InstallDelete])", flush=True)


def check_uninstall(wine: Wine, ctx: dict) -> None:
    user_data = ctx["appdata"] / "ArmedOptions" / "sessions" / "workshop.armedsession"
    user_data.parent.mkdir(parents=True, exist_ok=True)
    user_data.write_text("a user's session: the uninstaller must keep it", encoding="utf-8")
    log = ctx["work"] / "uninstall.log"
    done = wine.run([str(ctx["app"] / "unins000.exe"), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                     f"/LOG={wine.to_windows(log)}"], "uninstall", check=False)
    wine.wait()
    expect(done.returncode == 0, f"the uninstaller exited {done.returncode}")
    left = sorted(tree(ctx["app"])) if ctx["app"].exists() else []
    expect(not ctx["app"].exists(), f"uninstall left {ctx['app']} behind ({len(left)} files, e.g. {left[:5]})")
    expect(not list(ctx["programs"].glob(f"{ctx['name']}*.lnk")), "uninstall left Start-menu shortcuts")
    expect(wine.reg_values(f"HKCU\\{UNINSTALL_KEY}\\{ctx['app_id']}_is1") is None, "uninstall left its registry entry")
    expect(user_data.is_file(), f"uninstall removed the user's own data {user_data}")
    print("uninstalled: install folder, shortcuts and uninstall entry gone; the user's data in "
          "%APPDATA%\\ArmedOptions kept", flush=True)


def prepare(args: argparse.Namespace) -> tuple[Wine, dict]:
    """Fresh prefix reporting Windows 10 (installer.iss has MinVersion=10.0), the stand-in, the paths."""
    for tool in ("wine", "wineserver", "winepath", "npm"):
        expect(shutil.which(tool) is not None, f"{tool} is not installed (.ci/run installs wine, wine64, wine32:i386)")
    expect((args.app_dir / "armed-options-gui").is_file(),
           f"no one-folder build at {args.app_dir}: run packaging/check_frozen.sh (or packaging/build.py) first")
    work = args.work
    if work.exists():
        shutil.rmtree(work)
    (work / "home").mkdir(parents=True)
    wine = Wine(work / "prefix", work / "home")
    step("fresh Wine prefix")
    wine.run(["wineboot", "--init"], "wineboot")
    wine.run(["reg", "add", r"HKCU\Software\Wine", "/v", "Version", "/t", "REG_SZ", "/d", "win10", "/f"], "query")
    wine.wait()
    print(f"Wine {subprocess.run(['wine', '--version'], capture_output=True, text=True, check=False).stdout.strip()}, "
          f"prefix {wine.prefix}", flush=True)

    step("stand-in Windows one-folder tree from the Linux build")
    standin = work / "standin" / "armed-options"
    files, symlinks = make_standin(args.app_dir, standin)
    problems = windows_name_problems(sorted(files))
    expect(not problems, "names Windows cannot hold:\n" + "\n".join(problems[:10]))
    longest = max(files, key=len)
    print(f"{len(files)} files, {sum(files.values()) / 2**20:.0f} MB ({symlinks} Linux-only symlinks left out); "
          f"every name valid on Windows; longest relative path {len(longest)} characters", flush=True)

    ctx: dict = dict(script_settings(), work=work, standin=standin, standin_files=files)
    ctx["drive_c"] = wine.prefix / "drive_c"
    ctx["profile"] = wine.to_unix(wine.env_var("USERPROFILE"))
    local = wine.env_var("LOCALAPPDATA")
    ctx["app_win"] = f"{local}\\Programs\\{ctx['short_name']}"
    ctx["app"] = wine.to_unix(ctx["app_win"])
    ctx["appdata"] = wine.to_unix(wine.env_var("APPDATA"))
    ctx["programs"] = ctx["appdata"] / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    ctx["docs_win"] = f"{wine.env_var('USERPROFILE')}\\Documents"
    ctx["desktop"] = ctx["profile"] / "Desktop"
    ctx["outside_before"] = outside_profile(ctx["drive_c"], ctx["profile"])
    return wine, ctx


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-dir", type=Path, default=build.APP_DIR, help="the Linux one-folder build")
    parser.add_argument("--work", type=Path, default=WORK, help="scratch folder (prefix, stand-in)")
    parser.add_argument("--keep", action="store_true", help="keep the Wine prefix and stand-in afterwards")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        # Setup creates its (hidden) wizard window even when very silent: it needs an X server.
        expect(shutil.which("xvfb-run") is not None, "no X server and no xvfb-run (apt-get install xvfb)")
        return subprocess.call(["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", sys.executable, __file__,
                                *(argv if argv is not None else sys.argv[1:])])
    wine = None
    try:
        wine, ctx = prepare(args)
        step(f"compile installer.iss with ISCC {INNO_NPM_PIN} under Wine")
        iscc = fetch_iscc(HERE / "build" / "innosetup")
        setup = compile_installer(wine, iscc, ctx["standin"], build.INSTALLER_DIR)
        step("silent per-user install (/VERYSILENT /CURRENTUSER)")
        check_installed(wine, ctx, run_setup(wine, setup, args.work / "install.log"))
        step("install again over it (an upgrade)")
        check_upgrade(wine, ctx, setup)
        step("silent uninstall")
        check_uninstall(wine, ctx)
    except (CheckFailed, OSError, ValueError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"INSTALLER CHECK FAILED: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        if wine is not None:
            wine.kill()
        if wine is not None and not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
    step("all installer checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
