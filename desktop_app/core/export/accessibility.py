"""Chart names and alt text written into the saved workbook (WCAG 2.2 AA, 1.1.1).

openpyxl names every chart frame "Chart 1", "Chart 2"... and gives it no description.
After saving, in the export's one rewrite of the zip (:func:`fastrows.splice`), each
drawing part's frames get the name and alt text the chart builders recorded (:meth:`ExportContext.add_chart_text`), in the order they were added to the
sheet: the name a screen reader announces and the description it reads.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any
from xml.sax.saxutils import quoteattr

_CNVPR = re.compile(rb'<(xdr:)?cNvPr id="(\d+)" name="[^"]*"(?: descr="[^"]*")?\s*/>')


def _sheet_drawings(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its drawing part (``xl/drawings/drawingN.xml``)."""
    wb = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
    out: dict[str, str] = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', wb):
        target = targets.get(rid, "")
        sheet_part = "xl/" + target.lstrip("/").removeprefix("xl/")
        rel_part = sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        if rel_part not in z.namelist():
            continue
        srels = z.read(rel_part).decode("utf-8")
        m = re.search(r'Target="([^"]*drawings/drawing\d+\.xml)"', srels)
        if m:
            out[_unescape(name)] = "xl/drawings/" + m.group(1).rsplit("/", 1)[-1]
    return out


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")


def named_chart_parts(src: zipfile.ZipFile, texts: dict[str, list[tuple[str, str]]]) -> dict[str, bytes]:
    """The drawing parts of ``src`` rewritten with each chart frame named and described as
    ``texts`` says (part name -> new XML); parts with no chart text are left out."""
    if not texts:
        return {}
    drawings = _sheet_drawings(src)
    replace: dict[str, bytes] = {}
    for sheet, entries in texts.items():
        part = drawings.get(sheet)
        if part is None:
            continue
        xml = src.read(part)
        it = iter(entries)

        def sub(m: re.Match[bytes], it: Any = it) -> bytes:
            entry = next(it, None)
            if entry is None:
                return m.group(0)
            name, alt = entry
            prefix = (m.group(1) or b"").decode()
            return (f'<{prefix}cNvPr id="{m.group(2).decode()}" name={quoteattr(name)} '
                    f'descr={quoteattr(alt)}/>').encode()

        replace[part] = _CNVPR.sub(sub, xml)
    return replace
