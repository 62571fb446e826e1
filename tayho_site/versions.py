"""Numbers in the shared cache that say when something public changed, as each process
sees them.

A process trusts the number it last read for PAGE_CACHE_VERSION_SECONDS (1 s) before
asking the cache again, and keeps values worked out under it (`kept`): what follows only
from the thing versioned costs no query and no round trip while it is unchanged. A
change made by this process is seen by it at once (`bump` sets its copy); one made by
another server within that time. A number that is lost (Redis restarted or evicted it)
starts again from the clock, never from an old number whose values might still be kept.
"""

import time

from django.conf import settings
from django.core.cache import cache

_clock = time.monotonic


class SharedVersion:
    def __init__(self, key, limit=256):
        self.key, self.limit = key, limit
        # (version, when it was read, values kept under it): replaced whole, never in part.
        self._state = (None, float("-inf"), {})

    def trusted(self):
        """The number this process read lately enough to trust, or None."""
        version, read_at, _values = self._state
        if _clock() - read_at < float(getattr(settings, "PAGE_CACHE_VERSION_SECONDS", 1)):
            return version
        return None

    def remember(self, version):
        """Takes `version` as read from the cache just now."""
        old, _read_at, values = self._state
        self._state = (version, _clock(), values if version == old else {})

    def current(self):
        """The current number (trusted, or read from the cache); None if the cache is down."""
        version = self.trusted()
        if version is None:
            version = cache.get(self.key)
            if version is None:
                cache.add(self.key, time.time_ns(), timeout=None)
                version = cache.get(self.key)
            if version is None:
                return None
            self.remember(version)
        return version

    def kept(self):
        """The values kept under the number last read (call `current` first)."""
        values = self._state[2]
        if len(values) >= self.limit:  # rarely: start afresh rather than keep an order
            values.clear()
        return values

    def keep(self, key, compute):
        """compute() once per version and process; computed every time when the cache is down."""
        if self.current() is None:
            return compute()
        values = self.kept()
        if key not in values:
            values[key] = compute()
        return values[key]

    def bump(self):
        """A new number for every process; returns False when the cache is unavailable."""
        self._state = (None, float("-inf"), {})
        try:
            if cache.incr(self.key) is None:
                return False
        except ValueError:  # no number yet: nothing is kept under one either
            cache.add(self.key, time.time_ns(), timeout=None)
            return True
        # Read back rather than taken from incr: Redis's client counts through a Lua script,
        # whose numbers are doubles, and the clock-based numbers are beyond their precision.
        version = cache.get(self.key)
        if version is None:
            return False
        self.remember(version)
        return True
