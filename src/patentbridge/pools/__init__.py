"""专利池: patent pools (guide §4)."""
