"""econ — the economic effects of US–China tariffs and China's critical-mineral export controls.

The package builds panels from the agencies' own file formats (`econ.sources`, `econ.panel`), evaluates
the tariff schedule as dated layers (`econ.tariffs`), estimates and simulates effects (`econ.estimate`,
`econ.models`) and renders parameterised notebooks into reports (`econ.reports`). See DESIGN in the README.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("econ")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
