"""statsmodels' estimators, the reference the survival and logistic tests compare with,
imported on first use.

statsmodels (with scipy.stats and pandas) takes almost two seconds of CPU to import, in
every pytest process that collects a module importing it, whether or not that process
runs one of its tests: six processes collect in ``./install.sh --test``. These stand in
for the classes and the functions of the same names and hand their arguments on.
"""

from __future__ import annotations

from typing import Any


def PHReg(*args: Any, **kwargs: Any) -> Any:
    from statsmodels.duration.hazard_regression import PHReg as reference

    return reference(*args, **kwargs)


def SurvfuncRight(*args: Any, **kwargs: Any) -> Any:
    from statsmodels.duration.survfunc import SurvfuncRight as reference

    return reference(*args, **kwargs)


def survdiff(*args: Any, **kwargs: Any) -> Any:
    from statsmodels.duration.survfunc import survdiff as reference

    return reference(*args, **kwargs)


def Logit(*args: Any, **kwargs: Any) -> Any:
    from statsmodels.discrete.discrete_model import Logit as reference

    return reference(*args, **kwargs)


def add_constant(*args: Any, **kwargs: Any) -> Any:
    from statsmodels.tools.tools import add_constant as reference

    return reference(*args, **kwargs)
