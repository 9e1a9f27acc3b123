"""Web load benchmark: the library list, the search page and ``/api/search`` on a SYNTHETIC library.

``python -m bench.web.run --rows 100000 --db sqlite,postgres`` (see ``run.py``).
"""
