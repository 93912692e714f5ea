"""The API's rate limits: DRF's throttles, counted in the default cache.

While the shared cache (Redis) cannot be reached, cms.cache counts them in each app server
process instead, so the limits still hold per process (README, "Faults").
"""

from rest_framework.throttling import ScopedRateThrottle


class LearnerScopedRateThrottle(ScopedRateThrottle):
    """Per signed-in learner, at the rate of the view's `throttle_scope`."""
