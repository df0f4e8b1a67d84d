"""China's rare-earth and critical-mineral export controls: the model fed by the data, one module per step.

1. `facts`      — the sourced tables every number comes from (package data, each row with its source and
                  status: published, derived, check or assumption);
2. `inputs`     — restricted US imports by HTS line group and partner (imports panel), USGS facts (minerals
                  panel), the critical-input row by BEA industry;
3. `network`    — the open-economy nested CES network (`econ.models.open_network`) calibrated to BEA's
                  Use, Make and Import tables, with the exposed product line of each industry;
4. `economy`    — one calibrated economy per critical input (rare earths; gallium and germanium; antimony)
                  and its observed shock path;
5. `shock`      — China's shipments against the pre-control baseline, rerouting, inventories drawn and
                  restocked, prices, and a hypothetical restriction beside them;
6. `losses`     — real GDP and real income lost across the elasticity grid, Hulten's first order beside;
7. `compliance` — shipments against the commitments of Geneva, London and Busan, month by month;
8. `literature` — each published study's scenario run through the model, theirs beside ours, with why.

Nothing here opens a file: frames and tables come in as arguments, from the catalog.
"""
