"""Each notebooks/<name>.ipynb is paired with notebooks/<name>.py in jupytext's percent format, the file
reviewers read in a diff. `check_pair` says where the two disagree (cell kinds and sources; outputs,
ids and metadata other than tags are ignored).
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat


def _cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (cell.cell_type, cell.source.strip(), tuple(sorted(cell.get("metadata", {}).get("tags", []))))
        for cell in notebook.cells
        if cell.source.strip() or cell.cell_type != "code"
    ]


def check_pair(notebook: str | Path) -> list[str]:
    """Disagreements between `notebook` (.ipynb) and its .py twin; empty when they agree."""
    ipynb = Path(notebook)
    script = ipynb.with_suffix(".py")
    if not script.is_file():
        return [
            f"{ipynb.name}: no paired {script.name} "
            "(create it with `jupytext --set-formats ipynb,py:percent`)"
        ]
    text = script.read_text(encoding="utf-8")
    if "format_name: percent" not in text and "# %%" not in text:
        return [f"{script.name}: not in jupytext percent format"]
    left = _cells(nbformat.read(str(ipynb), as_version=4))
    right = _cells(jupytext.read(str(script), fmt="py:percent"))
    problems = []
    if len(left) != len(right):
        problems.append(f"{ipynb.name} has {len(left)} cells, {script.name} has {len(right)}")
    for number, (a, b) in enumerate(zip(left, right, strict=False), start=1):
        if a != b:
            part = "kind" if a[0] != b[0] else "tags" if a[2] != b[2] else "source"
            problems.append(
                f"cell {number}: {part} differs between {ipynb.name} and {script.name} "
                f"(run `jupytext --sync {ipynb.name}`)"
            )
            break  # after the first difference the rest are usually shifted
    return problems


def check_pairs(folder: str | Path) -> dict[str, list[str]]:
    """`check_pair` for every .ipynb in `folder`: notebook name -> problems (only those with problems)."""
    found = {}
    for ipynb in sorted(Path(folder).glob("*.ipynb")):
        problems = check_pair(ipynb)
        if problems:
            found[ipynb.name] = problems
    return found
