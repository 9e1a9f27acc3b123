"""Patent menus (专利菜单) to counties and enterprises: compose, select, push, funnel (guide §5)."""
