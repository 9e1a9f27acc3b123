"""Models of 专利导航 (patent navigation reports, GB/T 39551 (guide §6))."""
