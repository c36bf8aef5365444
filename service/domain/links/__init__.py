"""Link monitoring: fetch a page, find the link to the site, keep wins and catch losses.

`urls` (normalisation), `classify` (the HTML parser), `fetch` (the guarded HTTP client),
`politeness` (fetch slots and per-host pacing shared through the database), `checks` (one
check, its record, the lost-link rules, a card's history), `schedule` (the job kind) and
`backlinks` (the watched backlinks).
"""
