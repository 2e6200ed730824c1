"""cxkit: validated statistics for customer-experience research.

NPS intervals and comparisons, survey-scale reliability and CX-to-revenue models, run
as reproducible, parameterized studies (``cxkit list``, ``cxkit run``).

``import cxkit`` is light: pandas, statsmodels, seaborn, matplotlib and papermill are
imported only inside the functions that need them.
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from cxkit._results import ConfidenceInterval
from cxkit.datasets import list_datasets, load_data, load_dataset
from cxkit.nps import (
    NPSComparison,
    NPSResult,
    classify_nps,
    compare_nps,
    nps,
    nps_by,
    nps_coverage,
    nps_interval,
    nps_pairwise,
    nps_sample_size,
    nps_sample_size_difference,
    nps_sampling_distribution,
    nps_trend,
)
from cxkit.profile import ItemProfile, profile_items
from cxkit.reliability import (
    AlphaResult,
    GroupReliabilityResult,
    OmegaResult,
    cronbach_alpha,
    group_reliability,
    omega,
    reverse_items,
)
from cxkit.revenue import (
    RevenueScenario,
    cx_revenue_scenario,
    estimate_lever_effects,
    lift_distribution,
)

try:
    __version__ = _version("cxkit")
except _PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "AlphaResult",
    "ConfidenceInterval",
    "GroupReliabilityResult",
    "ItemProfile",
    "NPSComparison",
    "NPSResult",
    "OmegaResult",
    "RevenueScenario",
    "__version__",
    "classify_nps",
    "compare_nps",
    "cronbach_alpha",
    "cx_revenue_scenario",
    "estimate_lever_effects",
    "group_reliability",
    "lift_distribution",
    "list_datasets",
    "load_data",
    "load_dataset",
    "nps",
    "nps_by",
    "nps_coverage",
    "nps_interval",
    "nps_pairwise",
    "nps_sample_size",
    "nps_sample_size_difference",
    "nps_sampling_distribution",
    "nps_trend",
    "omega",
    "profile_items",
    "reverse_items",
]
