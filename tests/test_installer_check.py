"""The helpers of the Wine installer check (packaging/check_installer.py), without Wine.

The check itself (compile, install, reinstall, uninstall under Wine) runs in .ci/run;
these tests pin down the parts whose mistakes would make it pass wrongly: the .lnk
reader that says where the Start-menu entry points, the Windows file-name rules, the
stand-in tree built from the Linux build, and what it reads from installer.iss.
"""

from __future__ import annotations

import struct

import pytest
from packaging_scripts import load

check = load("check_installer")
lnk = check.lnk

TARGET = "C:\\Users\\pc\\AppData\\Local\\Programs\\Armed Policing Options\\armed-options-gui.exe"


def _counted(text: str) -> bytes:
    """A StringData entry: a character count, then UTF-16LE characters [MS-SHLLINK 2.4]."""
    return struct.pack("<H", len(text)) + text.encode("utf-16-le")


def _shortcut(*, unicode_paths: bool, strings: bytes, flags_extra: int = 0x04 | 0x10) -> bytes:
    """A .lnk built by hand from [MS-SHLLINK]: header, LinkInfo with a VolumeID and a
    local base path (ANSI, or Unicode with the 0x24-byte LinkInfo header), StringData."""
    flags = lnk.HAS_LINK_INFO | lnk.IS_UNICODE | flags_extra
    header = struct.pack("<I16sIIQQQIiIHHII", 0x4C, lnk.LINK_CLSID, flags, 0x20, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)
    assert len(header) == 0x4C
    head_size = 0x24 if unicode_paths else 0x1C
    volume = struct.pack("<IIII", 0x11, 3, 0x1234, 0x10) + b"\0"        # 17 bytes, empty label
    base_off = head_size + len(volume)
    base = (TARGET.encode("utf-16-le") + b"\0\0") if unicode_paths else (TARGET.encode("cp1252") + b"\0")
    suffix = b"\0\0" if unicode_paths else b"\0"
    suffix_off = base_off + len(base)
    fixed = [head_size, 1, head_size, 0 if unicode_paths else base_off, 0, 0 if unicode_paths else suffix_off]
    if unicode_paths:
        fixed += [base_off, suffix_off]
    body = struct.pack(f"<{len(fixed)}I", *fixed) + volume + base + suffix
    link_info = struct.pack("<I", 4 + len(body)) + body
    return header + link_info + strings


@pytest.mark.parametrize("unicode_paths", [False, True])
def test_shortcut_reader_gives_target_and_working_folder(unicode_paths):
    data = _shortcut(unicode_paths=unicode_paths,
                     strings=_counted("Coverage, cost and appraisal") + _counted("C:\\Users\\pc\\Documents"))
    got = lnk.read_shortcut(data)
    assert got.target == TARGET
    assert got.working_dir == "C:\\Users\\pc\\Documents"
    assert got.name == "Coverage, cost and appraisal"


def test_shortcut_reader_drops_the_nul_wine_counts():
    # Wine writes the count including the terminating NUL (Windows does not).
    data = _shortcut(unicode_paths=False, strings=_counted("C:\\Users\\pc\\Documents\0"), flags_extra=0x10)
    assert lnk.read_shortcut(data).working_dir == "C:\\Users\\pc\\Documents"


def test_shortcut_reader_refuses_what_is_not_a_local_shortcut():
    with pytest.raises(ValueError, match="not a Windows shortcut"):
        lnk.read_shortcut(b"[InternetShortcut]\r\nURL=file:///C:/x\r\n" + b"\0" * 80)
    no_info = bytearray(_shortcut(unicode_paths=False, strings=b"", flags_extra=0))
    struct.pack_into("<I", no_info, 20, lnk.IS_UNICODE)              # LinkFlags without HasLinkInfo
    with pytest.raises(ValueError, match="no LinkInfo"):
        lnk.read_shortcut(bytes(no_info))


def test_windows_name_rules():
    problems = check.windows_name_problems([
        "_internal/ok/module.cpython-311.pyc",
        "_internal/docs/CON.md",          # reserved device name, whatever the extension
        "_internal/a:b.txt",              # ':' is forbidden
        "_internal/trailing.",            # Windows drops a trailing dot
        "_internal/pkg/Readme.txt",
        "_internal/pkg/README.TXT",       # the same file on NTFS
    ])
    assert len(problems) == 4
    assert any("CON.md" in p for p in problems)
    assert any("a:b.txt" in p for p in problems)
    assert any("trailing." in p for p in problems)
    assert any("differ only in case" in p and "Readme.txt" in p for p in problems)
    assert not any("module.cpython-311.pyc" in p for p in problems)


def test_standin_renames_the_launchers_and_leaves_out_linux_symlinks(tmp_path):
    app = tmp_path / "armed-options"
    (app / "_internal" / "PySide6").mkdir(parents=True)
    for name in ("armed-options", "armed-options-gui", "armed-options-selfcheck"):
        (app / name).write_bytes(b"ELF " + name.encode())
    (app / "_internal" / "PySide6" / "libQt6Core.so.6").write_bytes(b"x" * 10)
    (app / "_internal" / "libQt6Core.so.6").symlink_to("PySide6/libQt6Core.so.6")
    files, skipped = check.make_standin(app, tmp_path / "standin")
    assert files == {"armed-options.exe": 17, "armed-options-gui.exe": 21, "armed-options-selfcheck.exe": 27,
                     "_internal/PySide6/libQt6Core.so.6": 10}     # 4 + len(name) bytes per launcher
    assert skipped == 1
    assert (tmp_path / "standin" / "armed-options-gui.exe").read_bytes() == b"ELF armed-options-gui"
    assert not (tmp_path / "standin" / "_internal" / "libQt6Core.so.6").exists()


def test_settings_come_from_installer_iss():
    got = check.script_settings()
    assert got == {"app_id": "{C34DB03E-A32B-41A8-BEBB-CA0E54E92295}", "name": "Armed Policing Options Appraisal",
                   "short_name": "Armed Policing Options", "exe": "armed-options-gui.exe"}


def test_the_check_passes_the_defines_the_windows_build_passes():
    build = check.build
    assert build.iscc_defines("1.2.3rc1", "Z:\\src", "Z:\\out") == [
        "/DMyAppVersion=1.2.3rc1", "/DMyAppNumericVersion=1.2.3.0", "/DSourceDir=Z:\\src", "/DOutputDir=Z:\\out"]
