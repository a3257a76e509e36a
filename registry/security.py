"""Who a request comes from, for the API's throttles and the admin's login lockout alike."""

from rest_framework.throttling import BaseThrottle


def client_ip(request) -> str:
    """REMOTE_ADDR, or with settings.TRUSTED_PROXIES (DRF's NUM_PROXIES) the address the last
    trusted proxy saw: DRF's rule, so that throttles and lockouts count the same client."""
    return BaseThrottle().get_ident(request)
