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
    prefix = translation.get_language_from_path(request.path_info)
    if not prefix:
        return {"language_links": []}  # the admin and the API pages have their own ways
    current = translation.get_language()
    return {
        # The address without a prefix: it redirects to each visitor's language.
        "default_language_url": request.get_full_path()[len(prefix) + 1 :],
        "language_links": [
            {"code": code, "name": name, "url": language_url(request, code), "current": code == current}
            for code, name in settings.LANGUAGES
        ],
    }
