"""Statistics monitoring (统计监测): the indicator catalogue, dashboards and reports (guide §7)."""
