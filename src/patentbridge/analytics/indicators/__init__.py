"""Platform indicators (平台口径), one module per group; importing the package registers every
compute function with ``registry``."""

from patentbridge.analytics.indicators import (  # noqa: F401 - imported for registration
    conversion,
    library,
    licensing,
    matching,
    menus,
    money,
    open_licence,
    public_list,
)
from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.registry import COMPUTE, compute, platform_ids

__all__ = ["COMPUTE", "Context", "compute", "platform_ids"]
