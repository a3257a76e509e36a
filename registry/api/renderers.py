"""What the API answers a browser. The browsable API as the Content-Security-Policy allows it:
DRF's templates set inline styles (style attributes and a <style> block), so its HTML pages allow
inline styles; scripts stay the site's own files only. JSON answers keep the strict policy. The
endpoints that speak JSON only answer a browser with JSON rather than 406 (JsonForAnyClient)."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer as DRFBrowsableAPIRenderer

INLINE_STYLES = {"style-src": ["'unsafe-inline'"]}


class BrowsableAPIRenderer(DRFBrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = INLINE_STYLES  # read by django-csp's middleware
        return super().render(data, accepted_media_type, renderer_context)


class JsonForAnyClient(DefaultContentNegotiation):
    """For the endpoints that speak JSON only (the reconciliation service, the schema): a client
    whose Accept header no renderer satisfies — a browser that follows the API root's link asking
    for text/html — gets the JSON, not a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            renderer = next((r for r in renderers if r.media_type == "application/json"), renderers[0])
            return renderer, renderer.media_type
