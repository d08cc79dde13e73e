"""Armed Policing Options Appraisal.

Decision support for UK chief constables weighing armed response options
(extra ARVs, new bases, neighbour cover, arming rural response officers).
The domain lives in :mod:`desktop_app.core` (no Qt); the desktop app in
:mod:`desktop_app.ui`; the command line in :mod:`desktop_app.cli`.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
