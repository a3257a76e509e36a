"""The API's rate limits (settings.REST_FRAMEWORK's DEFAULT_THROTTLE_RATES), counted exactly.

Django REST Framework's throttles read a client's history from the cache, add the request and
write it back: two workers doing so at once both let a request through on the same count, and 8
threads got 442 requests a minute past a limit of 300. These count with one atomic step instead:
Redis's INCR when REDIS_URL is set (shared by every host), else one statement on the database
(RateCount.hit: an upsert that returns the new count). A client's window begins at its first
request and lasts the rate's duration; its 429 says how long is left (Retry-After)."""

from functools import lru_cache

from django.conf import settings
from rest_framework import throttling

from ..models import RateCount


@lru_cache(maxsize=1)
def _redis(url: str):
    import redis  # the `redis` extra, installed where REDIS_URL is set

    return redis.Redis.from_url(url)


def hit(key: str, seconds: int) -> tuple[int, float]:
    """One more request under `key`: (its number in the current window, seconds left in it)."""
    if not settings.REDIS_URL:
        return RateCount.hit(key, seconds)
    with _redis(settings.REDIS_URL).pipeline() as pipe:  # MULTI ... EXEC: one atomic step
        pipe.set(f"rcp-rate:{key}", 0, ex=seconds, nx=True)  # the window begins with its first request
        pipe.incr(f"rcp-rate:{key}")
        pipe.pttl(f"rcp-rate:{key}")
        _created, count, left_ms = pipe.execute()
    return count, max(0.0, left_ms / 1000)


class ExactCount:
    """allow_request() and wait() of a SimpleRateThrottle, counted with hit()."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count, self.seconds_left = hit(self.key, self.duration)
        return count <= self.num_requests

    def wait(self):
        return self.seconds_left


class AnonRateThrottle(ExactCount, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ExactCount, throttling.UserRateThrottle):
    """Signed-in clients only: DRF's counts anonymous ones too, by address, as the anonymous
    rate (lower) already does, and each count is a write."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
