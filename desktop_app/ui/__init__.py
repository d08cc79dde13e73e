"""The Qt layer. Imports PySide6 before pyqtgraph so pyqtgraph binds to PySide6."""

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
