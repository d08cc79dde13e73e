"""The discrete-event simulation of armed response (``armed-options simulate``).

``arrays`` holds one option's units as plain arrays, ``analytic`` the independent-units
figures the simulation is compared with, ``engine`` the event loop, and ``run`` the
entry point over a workbook. See docs/simulation.md for the method.
"""
