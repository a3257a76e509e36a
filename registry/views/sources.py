"""The sources' pages: the list, one source (what it describes, the facts citing it) and its
stored copy."""

from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from .. import models as m
from ..presentation import as_of

# The API lists that take ?cited_in= (the facts a source supports, as records).
CITED_IN_LISTS = {
    m.Participation: "api:participation-list",
    m.IomRole: "api:iomrole-list",
    m.Event: "api:event-list",
}


def source_list(request):
    sources = m.SourceDocument.objects.annotate(
        citation_count=Count("citations", distinct=True), account_count=Count("accounts", distinct=True)
    )
    return render(request, "registry/source_list.html", {"as_of": as_of(request), "sources": sources})


def source_detail(request, slug):
    source = get_object_or_404(m.SourceDocument, slug=slug)
    accounts = (
        m.ProcessAccount.objects.filter(source=source)
        .select_related("process", "region")
        .annotate(participation_count=Count("participations", distinct=True))
        .order_by("region__position", "process__short_name")
    )
    counts = (
        m.Citation.objects.filter(source=source)
        .values_list("content_type")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("content_type", "n")
    )
    kinds = []
    for content_type, n in counts:  # named as the admin names them, linked where the API filters them
        model = ContentType.objects.get_for_id(content_type).model_class()
        api = CITED_IN_LISTS.get(model)
        link = f"{reverse(api)}?cited_in={quote(source.key)}" if api else ""
        kinds.append({"name": model._meta.verbose_name_plural, "count": n, "link": link})
    context = {"as_of": as_of(request), "source": source, "accounts": accounts, "kinds": kinds}
    return render(request, "registry/source_detail.html", context)


def source_copy(request, slug):
    """The stored copy of a source (PDF or HTML), always a download: never shown inside the
    registry's pages, whatever it holds."""
    source = get_object_or_404(m.SourceDocument.objects.exclude(copy=""), slug=slug)
    try:
        stored = source.copy.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = m.COPY_TYPES.get(source.copy_type, "bin")
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=f"{source.slug}.{extension}",
        content_type=source.copy_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{source.copy_sha256}"'
    return response
