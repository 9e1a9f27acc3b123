"""一月一链路演: monthly industry-chain roadshows (guide §6)."""
