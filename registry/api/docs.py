"""ReDoc's script as the API documentation page serves it: drf-spectacular-sidecar's copy, with
the one address it would fetch from outside (the Redocly logo in its sidebar footer) replaced by an
empty data: image. The page then loads nothing from another host (no network at run time, and the
Content-Security-Policy allows none); the logo's img hides itself when it cannot be shown."""

import hashlib
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

REDOC = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
OUTSIDE_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@lru_cache(maxsize=1)
def redoc_script() -> tuple[bytes, str]:
    with open(finders.find(REDOC), "rb") as script:
        content = script.read().replace(OUTSIDE_LOGO.encode(), b"data:,")
    return content, f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def redoc(request):
    content, etag = redoc_script()
    response = HttpResponse(content, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response
