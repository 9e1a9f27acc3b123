"""Patent pools (专利池, transactions-and-analytics.md §4): admission of a patent against a pool's
criteria and the rights ledger, a pool patent's status on a date, and revenue distribution."""
