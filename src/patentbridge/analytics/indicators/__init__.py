"""Platform indicators (平台口径), one module per group; importing the package registers every
compute function with ``registry``."""

# Imported for their registrations.
import patentbridge.analytics.indicators.conversion
import patentbridge.analytics.indicators.drilldowns
import patentbridge.analytics.indicators.library
import patentbridge.analytics.indicators.licensing
import patentbridge.analytics.indicators.matching
import patentbridge.analytics.indicators.menus
import patentbridge.analytics.indicators.money
import patentbridge.analytics.indicators.open_licence
import patentbridge.analytics.indicators.pools
import patentbridge.analytics.indicators.public_list
import patentbridge.analytics.indicators.roadshows  # noqa: F401
from patentbridge.analytics.indicators.context import Context
from patentbridge.analytics.indicators.registry import COMPUTE, compute, platform_ids

__all__ = ["COMPUTE", "Context", "compute", "platform_ids"]
