"""econ.reports — run the notebooks of reports/runs.yaml and render them into self-contained HTML.

Modules, one concern each, in the order a build uses them: `params` (each notebook's typed parameters),
`runs` (runs.yaml and grids), `cache` (run keys and why a run reruns), `execute` (one run: papermill,
then `render`, nbconvert HTML, with `headline`, the figures a notebook reports), `engines` (many runs:
inline, local `worker` processes or Dask), `provenance`, `index` (index.html), `pairing` (jupytext
pairs) and `pipeline` (the `econ report` command). The record of runs, reports/manifest.json, is read
and written by `econ.manifest`, with the processed data's.

Only `headline` (with `Figure` and `story`) is imported eagerly: notebooks import it inside their kernels,
where start-up time counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from econ.reports.headline import HEADLINE_MIME, Figure, headline, story

if TYPE_CHECKING:
    from econ.reports.pipeline import ReportOutcome

__all__ = ["HEADLINE_MIME", "Figure", "ReportOutcome", "headline", "run_reports", "story"]


def run_reports(runs: list[str] | None = None, **options: Any) -> ReportOutcome:
    """Build the reports; see econ.reports.pipeline.run_reports for the options."""
    from econ.reports.pipeline import run_reports as _run_reports

    return _run_reports(runs, **options)


def __getattr__(name: str) -> Any:
    if name == "ReportOutcome":
        from econ.reports.pipeline import ReportOutcome

        return ReportOutcome
    raise AttributeError(f"module 'econ.reports' has no attribute {name!r}")
