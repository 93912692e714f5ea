"""Rate limits counted per fixed window, in one cache round trip.

DRF's SimpleRateThrottle keeps each client's history of request times: it reads the list,
trims it, and writes it back pickled, two Redis round trips on every progress event and every
managers' request (about 8% of a progress event's CPU in the app). Here each client has a
counter that starts with their first request and expires one period later, added to and read
in one round trip by `cms.cache.count()`. As with any fixed window, a client can make up to
twice the rate across the end of one window and the start of the next; the limits are there to
stop runaway scripts and guessing, for which that is the same.
"""

from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from cms.cache import count


class FixedWindowRateThrottle(SimpleRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        # A key of its own: DRF's history lists may still sit under self.key.
        used, seconds_left = count(self.cache, f"{self.key}:count", self.duration)
        self.seconds_left = seconds_left or self.duration
        return used <= self.num_requests

    def wait(self):
        """Seconds until the window ends (DRF's Retry-After); the whole period when the cache
        cannot tell."""
        return self.seconds_left


class LearnerScopedRateThrottle(ScopedRateThrottle, FixedWindowRateThrottle):
    """DRF's ScopedRateThrottle (the view's `throttle_scope`, per user), counted per window."""
