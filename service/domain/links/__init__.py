"""Link monitoring: fetch a page, find the link to the site, keep wins and catch losses.

`urls` (normalisation), `classify` (the HTML parser), `fetch` (the guarded HTTP client),
`politeness` (fetch slots and per-host pacing shared through the database), `checks` (one
check, applying it: the won and lost-link rules, a card's history), `check_job` (the job
kind), `backlinks` (the watched backlinks), `runtime` (the process's fetchers) and
`usecases` (check a card now, its history, watched backlinks).
"""
