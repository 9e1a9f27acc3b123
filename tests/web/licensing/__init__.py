"""Web tests of the licensing app (contracts, filings, money, open licences)."""
