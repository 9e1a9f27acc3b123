"""Licensing rules in plain Python: the right-event ledger, dated policy parameters, licence and
open-licence checks, contract states, fee schedules, royalties, filing dates and income splits
(transactions-and-analytics.md §1–§3, §13). Never imports Django."""
