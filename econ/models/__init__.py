"""Scenario models: what a tariff scenario or an export control implies for US industries.

* `io`           — BEA total and domestic requirements (industry technology, scrap as BEA treats it), the
                   cost-push price model to industry and PCE prices, and aggregation of BEA tables;
* `trade`        — partial equilibrium of a tariff scenario by product (an HS10 line or a NAICS industry) ×
                   partner (nested CES), with intervals from parameter draws, aggregated to industries;
* `base_year`    — the base year of trade `trade` takes, from the HS10 or the NAICS imports panel, with the
                   tariffs of two schedules (on lines, or collected rates plus the schedule's change);
* `crosswalk`    — trade codes (HS, NAICS, BEA) placed in the commodities of the input-output table in use;
* `ces`          — a closed CES production network hit by a shortage of one critical input, solved exactly;
* `open_network` — the open-economy network: the restricted input imported at a world price, nested CES
                   with the elasticity inside the product lines that need it, beside Hulten's first order;
* `rare_earths`  — a package along the chain: facts (sourced tables in econ/models/data/), inputs,
                   network, economy, shock (observed shipments, stocks, prices), losses, compliance and
                   literature (each published study's scenario run through the model);
* `illustrative` — the embedded ten-industry aggregate of BEA's 2023 tables, for data without BEA's files.

Models take frames and tables as arguments and never open files: the input-output tables a notebook runs
on come from the catalog (`econ.panel.input_output(dataset)`), which says whether they are BEA's or the
embedded aggregate.

Modules are imported on demand (``from econ.models import io``).
"""
