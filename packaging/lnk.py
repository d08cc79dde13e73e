"""Read the target and working folder of a Windows shortcut (.lnk), without Windows.

packaging/check_installer.py uses it to prove that the Start-menu entry the
installer creates under Wine opens ``{app}\\armed-options-gui.exe`` from the user's
Documents folder, as installer.iss says. Only what that check needs is read, from
the Shell Link format [MS-SHLLINK] (Microsoft Open Specifications, sections 2.1
ShellLinkHeader, 2.3 LinkInfo, 2.4 StringData): the local base path plus common
path suffix of LinkInfo, and the StringData strings.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

HEADER_SIZE = 0x4C
LINK_CLSID = bytes.fromhex("0114020000000000c000000000000046")  # {00021401-0000-0000-C000-000000000046}
HAS_ID_LIST, HAS_LINK_INFO, IS_UNICODE = 0x01, 0x02, 0x80
#: StringData members in the order the format stores them, each with its LinkFlags bit.
STRING_FLAGS = (("name", 0x04), ("relative_path", 0x08), ("working_dir", 0x10),
                ("arguments", 0x20), ("icon_location", 0x40))


@dataclass(frozen=True)
class Shortcut:
    """What a shortcut opens, and from where."""

    target: str
    working_dir: str
    name: str = ""
    arguments: str = ""


def _c_string(data: bytes, start: int, unicode: bool) -> str:
    """A NUL-terminated string (UTF-16LE when ``unicode``, else the ANSI code page)."""
    if unicode:
        end = start
        while data[end:end + 2] != b"\0\0":
            end += 2
        return data[start:end].decode("utf-16-le")
    return data[start:data.index(b"\0", start)].decode("cp1252")


def _link_info_target(data: bytes, at: int) -> str:
    """LocalBasePath + CommonPathSuffix of the LinkInfo structure at ``at``."""
    header_size, flags, _volume, base_off, _network, suffix_off = struct.unpack_from("<IIIIII", data, at + 4)
    if not flags & 0x1:  # VolumeIDAndLocalBasePath: without it the target is on a network share
        raise ValueError("shortcut has no local target path")
    if header_size >= 0x24:  # the Unicode offsets follow the fixed part
        base_u, suffix_u = struct.unpack_from("<II", data, at + 28)
        return _c_string(data, at + base_u, True) + _c_string(data, at + suffix_u, True)
    return _c_string(data, at + base_off, False) + _c_string(data, at + suffix_off, False)


def read_shortcut(data: bytes) -> Shortcut:
    """Parse a .lnk file's bytes; ValueError when they are not a shell link with a local target."""
    if len(data) < HEADER_SIZE or struct.unpack_from("<I", data)[0] != HEADER_SIZE or data[4:20] != LINK_CLSID:
        raise ValueError("not a Windows shortcut (.lnk)")
    (flags,) = struct.unpack_from("<I", data, 20)
    at = HEADER_SIZE
    if flags & HAS_ID_LIST:
        (id_list_size,) = struct.unpack_from("<H", data, at)
        at += 2 + id_list_size
    if not flags & HAS_LINK_INFO:
        raise ValueError("shortcut has no LinkInfo (target only as an ID list)")
    target = _link_info_target(data, at)
    at += struct.unpack_from("<I", data, at)[0]
    strings: dict[str, str] = {}
    unicode = bool(flags & IS_UNICODE)
    for key, bit in STRING_FLAGS:
        if flags & bit:
            (count,) = struct.unpack_from("<H", data, at)
            width = 2 if unicode else 1
            raw = data[at + 2:at + 2 + count * width]
            # Wine counts the terminating NUL that Windows leaves out; either way it is not text.
            strings[key] = raw.decode("utf-16-le" if unicode else "cp1252").rstrip("\0")
            at += 2 + count * width
    return Shortcut(target=target, working_dir=strings.get("working_dir", ""),
                    name=strings.get("name", ""), arguments=strings.get("arguments", ""))
