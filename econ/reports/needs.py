"""Whether the built data can serve a run, said in one line before any kernel starts.

Each notebook's parameter model declares what it needs (`econ.reports.params.Need`: an output of the
processed catalog, the months it reads, its level); the dataset's manifest (`econ.manifest.DatasetManifest`,
written by `econ build`) records what each output covers (``rows``, and for trade panels ``months`` as
[first, last], ``level`` where the builder records one). A need the manifest does not describe (no
months recorded) is not held against the run: only what the manifest says is checked.
"""

from __future__ import annotations

from econ import paths
from econ.manifest import DatasetManifest, dataset_manifest_or_none
from econ.reports.params import Need, NotebookParameters


def _months(record: dict) -> tuple[str, str] | None:
    months = record.get("months")
    if isinstance(months, list | tuple) and len(months) == 2 and all(isinstance(m, str) for m in months):
        return str(months[0])[:7], str(months[1])[:7]
    return None


def problem(need: Need, manifest: DatasetManifest) -> str | None:
    """Why `manifest`'s data cannot meet `need`, in a few words; None when they can (or cannot tell)."""
    record = manifest.outputs.get(need.output)
    if record is None:
        return None if need.optional else f"no processed {need.output}"
    if int(record.get("rows", 1) or 0) == 0 and need.output != "truth":
        return f"processed {need.output} has no rows"
    covered = _months(record)
    if need.months and covered:
        first, last = need.months
        if first < covered[0] or last > covered[1]:
            why = f" ({need.why})" if need.why else ""
            return f"{need.output} covers {covered[0]} to {covered[1]}; this run needs {first} to {last}{why}"
    level = record.get("level")
    if need.level and isinstance(level, str) and level != need.level:
        return f"{need.output} is at the {level} level; this run needs {need.level}"
    return None


def cannot_serve(parameters: NotebookParameters) -> str | None:
    """One line saying why the built data cannot serve a run with `parameters`, None when they can."""
    dataset = parameters.dataset
    manifest = dataset_manifest_or_none(dataset)
    where = paths.processed_dir() / dataset
    hint = "econ demo && econ build" if dataset == "demo" else "econ build --data real"
    if manifest is None:
        return f"no processed {dataset} data in {where} (run `{hint}` first)"
    found = [text for need in parameters.needs() if (text := problem(need, manifest))]
    if not found:
        return None
    return "; ".join(found) + f" in {where} (run `{hint}` with the files it needs)"
