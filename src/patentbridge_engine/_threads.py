"""Thread settings that must be in place before NumPy is first imported.

The E5 query encoder runs its own OpenMP threads; a multi-threaded BLAS next to it made each
query 2-4x slower on two cores (threads spinning against each other; bench/search). The
vector products here are single matrix-vector scans that gain nothing from BLAS threads.
A caller that imported NumPy earlier keeps its own setting.
"""

import os

for _name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
