"""Addresses of records' pages, reversed once per language: a process page links a hundred
participants and sources, and Django's reverse() walks the URL patterns every time (10 ms a page).
The key holds everything reverse() reads besides its arguments (the language of the i18n prefix,
the script prefix, the URL configuration), so a kept address is never wrong."""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def page_url(viewname: str, *args) -> str:
    return _reversed(viewname, args, get_language(), get_script_prefix(), get_urlconf())


@lru_cache(maxsize=2**15)
def _reversed(viewname, args, language, prefix, urlconf) -> str:
    return reverse(viewname, args=list(args), urlconf=urlconf)
