"""Cached reference tables that callers cannot change: each call returns a copy.

Reference data (rate tables, rating scales, mappings, alias lists, schemas) is read once per
process and cached. A caller who edits what a loader returned (``r = ecb_rates();
r["mro"] *= 10``) must change only its own copy, never the numbers every later computation reads.
:func:`reference_cache` caches the pristine object and hands out a deep copy on every call;
package code that only reads the table may use ``loader.shared()``, the cached object itself,
to skip the copy — it must never modify it.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import TypeVar

__all__ = ["reference_cache"]

T = TypeVar("T")


def reference_cache(maxsize: int | None = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorator: cache ``func``'s result (``functools.lru_cache(maxsize)``), return copies.

    The decorated function keeps ``cache_clear()`` and ``cache_info()`` (to reload an edited
    data file) and gains ``shared(*args)``: the cached object, for read-only use inside the
    package.
    """
    def decorate(func: Callable[..., T]) -> Callable[..., T]:
        cached = functools.lru_cache(maxsize=maxsize)(func)

        @functools.wraps(func)
        def public(*args, **kwargs):
            return copy.deepcopy(cached(*args, **kwargs))

        public.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        public.cache_info = cached.cache_info  # type: ignore[attr-defined]
        public.shared = cached  # type: ignore[attr-defined]
        return public

    return decorate
