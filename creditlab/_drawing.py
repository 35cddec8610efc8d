"""How a result object offers ``plot_*`` methods while layers stay one way.

Computations (``finance``, ``modeling``, ``scores`` ...) build result objects; plot modules
(``creditlab.plots.*``, ``creditlab.modeling.plots``) draw them and import the result types
they need. A computation module never imports a plot module — not at module level (that would be
a circle, and would load matplotlib in headless code) and not inside a function.

A result class instead *names* the function that draws it::

    class PaymentPlan:
        plot = drawn_by("creditlab.plots.finance", "plot_payment_plan")

``plan.plot(ax=None, lang=None)`` then calls ``creditlab.plots.finance.plot_payment_plan(plan,
...)``; the plot module (and matplotlib) is loaded on the first drawing only. The drawing code,
its signature and its docstring live in the plot module; the plot function takes the result and
computes nothing.
"""

from __future__ import annotations

import functools
import importlib

__all__ = ["drawn_by"]


class drawn_by:  # noqa: N801 - used like a decorator-style descriptor
    """Descriptor: ``result.<name>(*args, **kw)`` → ``<module>.<function>(result, *args, **kw)``.

    Parameters
    ----------
    module : str
        Dotted name of the plot module (a presentation module, imported on first call).
    function : str
        Name of the plot function in that module; its first argument is the result.
    """

    def __init__(self, module: str, function: str) -> None:
        self.module = module
        self.function = function
        self.__doc__ = (f"Draw this result with :func:`{module}.{function}` (same arguments, "
                        "without the result); returns the Axes.")

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        func = getattr(importlib.import_module(self.module), self.function)
        bound = functools.partial(func, obj)
        functools.update_wrapper(bound, func)
        return bound
