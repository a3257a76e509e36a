"""What every page needs to offer the other languages."""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def language_url(request, language: str) -> str:
    """The current page (path and query: the filters and the date in use) in another language."""
    full_path = request.get_full_path()
    url = translate_url(full_path, language)
    if url == full_path:  # an unknown page (404): swap the prefix itself
        current = translation.get_language_from_path(request.path_info)
        if current:
            url = f"/{language}/" + full_path[len(current) + 2 :]
    return url


def languages(request):
    current = translation.get_language()
    if not translation.get_language_from_path(request.path_info):
        return {"language_links": []}  # the admin and the API pages have their own ways
    current_prefix = f"/{translation.get_language_from_path(request.path_info)}/"
    return {
        # The address without a prefix: it redirects to each visitor's language.
        "default_language_url": "/" + request.get_full_path()[len(current_prefix) :],
        "language_links": [
            {"code": code, "name": name, "url": language_url(request, code), "current": code == current}
            for code, name in settings.LANGUAGES
        ],
    }
