"""The discrete-event simulation of armed response (``armed-options simulate``).

``engine`` is the event loop over one option's units
(:class:`desktop_app.core.coverage.units.OptionUnits`), ``analytic`` the
independent-units figures it is compared with, ``inputs_adapter`` what it reads from
a workbook, and ``run`` the entry point. See docs/simulation.md for the method.
"""
