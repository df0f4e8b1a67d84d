"""Scenario models: what a tariff scenario or an export control implies for US industries.

* `io`           — BEA total and domestic requirements (industry technology, scrap as BEA treats it), the
                   cost-push price model to industry and PCE prices, and aggregation of BEA tables;
* `trade`        — partial equilibrium of a tariff scenario by HS product × partner (nested CES), with
                   intervals from parameter draws, aggregated to industries;
* `ces`          — a CES production network hit by a shortage of one critical input, solved exactly;
* `rare_earths`  — exposure, shock path, losses, compliance and the comparison with published estimates;
* `illustrative` — the embedded ten-industry aggregate of BEA's 2023 tables, for data without BEA's files.

Models take frames and tables as arguments and never open files: the input-output tables a notebook runs
on come from the catalog (`econ.panel.input_output(dataset)`), which says whether they are BEA's or the
embedded aggregate.

Modules are imported on demand (``from econ.models import io``).
"""
