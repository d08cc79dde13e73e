"""One module per command-line command, each with ``run(args) -> int``.

Imported lazily by :mod:`desktop_app.cli`; none of them imports Qt except ``gui``.
"""
