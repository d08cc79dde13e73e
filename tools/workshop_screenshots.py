"""Screenshots of workshop mode on the sample force at the projector sizes (docs/screenshots/).

    QT_QPA_PLATFORM=offscreen python tools/workshop_screenshots.py [--out docs/screenshots]

1024x768 (an old projector) and 1920x1080 at 150% scaling, which lays out as 1280x720
logical pixels and is grabbed at device pixel ratio 1.5 (QT_SCALE_FACTOR), as in the
room. Workshop mode is built as the app builds it, from the state of an appraised sample.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def shoot(out: Path, size: tuple[int, int], name: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app.core.pipeline import run_appraisal
    from desktop_app.core.workbook.reader import read_workbook
    from desktop_app.ui.app import create_application
    from desktop_app.ui.state import AppState
    from desktop_app.ui.undo import WeightSetStore, WorkshopUndo
    from desktop_app.ui.workshop_mode import WorkshopWindow

    app = create_application(sys.argv)  # the app's own font, style and scaling
    rr = read_workbook(HERE / "sample_data" / "borderdale.xlsx")
    assert rr.inputs is not None
    run = run_appraisal(rr.inputs, rr.findings, samples=2000)
    state = AppState()
    store = WeightSetStore(state)
    undo = WorkshopUndo(state, store)
    state.set_read_result(rr)
    state.set_run(run)
    win = WorkshopWindow(state, store, undo, capture=lambda: None)
    win.setGeometry(0, 0, *size)
    win.show()
    for _ in range(40):
        app.processEvents()
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(600, loop.quit)  # the tree's fit and the charts' label placement settle
    loop.exec()
    win.grab().save(str(out / name))
    print(out / name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE / "docs" / "screenshots")
    ap.add_argument("--one", nargs=3, metavar=("W", "H", "NAME"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        shoot(args.out, (int(args.one[0]), int(args.one[1])), args.one[2])
        return 0
    for (w, h, name, scale) in ((1024, 768, "workshop-1024x768.png", "1"),
                                (1280, 720, "workshop-1920x1080-150pc.png", "1.5")):
        env = {**os.environ, "QT_SCALE_FACTOR": scale, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        subprocess.run([sys.executable, __file__, "--out", str(args.out), "--one", str(w), str(h), name],
                       check=True, env=env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
