"""The browsable API as the Content-Security-Policy allows it: DRF's templates set inline styles
(style attributes and a <style> block), so its HTML pages allow inline styles; scripts stay the
site's own files only. JSON answers keep the strict policy."""

from rest_framework.renderers import BrowsableAPIRenderer as DRFBrowsableAPIRenderer

INLINE_STYLES = {"style-src": ["'unsafe-inline'"]}


class BrowsableAPIRenderer(DRFBrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = INLINE_STYLES  # read by django-csp's middleware
        return super().render(data, accepted_media_type, renderer_context)
