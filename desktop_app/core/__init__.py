"""The domain core: workbook reading and validation, coverage, appraisal, export.

Nothing in this package may import PySide6, shiboken6 or pyqtgraph: the command
line must run on a machine without Qt, and a test (tests/test_core_no_qt.py)
imports every core module in a subprocess with Qt blocked to prove it.
"""
