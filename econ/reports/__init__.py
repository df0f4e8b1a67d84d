"""econ.reports — run the notebooks of reports/runs.yaml and render them into self-contained HTML.

Modules, one concern each: `params` (each notebook's typed parameters), `runs` (runs.yaml and grids),
`cache` (run keys and why a run reruns), `runner` (papermill on local processes or Dask), `render`
(nbconvert HTML), `provenance`, `index` (index.html, manifest.json), `headline` (figures a notebook
reports), `pairing` (jupytext pairs), `pipeline` (the `econ report` command).

Only `headline` is imported eagerly: notebooks import it inside their kernels, where start-up time counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from econ.reports.headline import HEADLINE_MIME, headline

if TYPE_CHECKING:
    from econ.reports.pipeline import ReportOutcome

__all__ = ["HEADLINE_MIME", "ReportOutcome", "headline", "run_reports"]


def run_reports(runs: list[str] | None = None, **options: Any) -> ReportOutcome:
    """Build the reports; see econ.reports.pipeline.run_reports for the options."""
    from econ.reports.pipeline import run_reports as _run_reports

    return _run_reports(runs, **options)


def __getattr__(name: str) -> Any:
    if name == "ReportOutcome":
        from econ.reports.pipeline import ReportOutcome

        return ReportOutcome
    raise AttributeError(f"module 'econ.reports' has no attribute {name!r}")
