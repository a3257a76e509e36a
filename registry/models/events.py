"""Dated meetings, workshops, studies, projects and declarations of (or around) the processes."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import EventKind
from .base import CitableModel, PeriodModel, period_constraints

__all__ = ["Event"]


class Event(CitableModel, PeriodModel):
    """A meeting, workshop, seminar, ministerial conference, study, project, training or declaration,
    with its date (and precision), place and organizers. Some events the sources list belong to no
    process (the Cairo conference on Arab migration); their process is empty."""

    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    process = models.ForeignKey(
        "registry.Process",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("process"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=400)
    place = models.CharField(_("place"), max_length=200, blank=True)
    organizers = models.ManyToManyField(
        "registry.Participant", blank=True, related_name="organized_events", verbose_name=_("organizers")
    )
    description = models.TextField(_("description"), blank=True)
    ongoing = models.BooleanField(_("ongoing at the source's date"), default=False)
    history = HistoricalRecords(m2m_fields=[organizers])

    class Meta:
        ordering = ["start", "title"]
        indexes = [
            models.Index(fields=["start", "title"], name="event_start_idx"),
            models.Index(fields=["process", "start"], name="event_process_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values),
                name="event_kind_valid",
                violation_error_message=_("Unknown event kind."),
            ),
            *period_constraints("event"),
        ]
        verbose_name = _("event or output")
        verbose_name_plural = _("events and outputs")

    def __str__(self):
        when = self.period_display
        return f"{self.title} ({when})" if when else self.title

    def get_absolute_url(self):
        return reverse("admin:registry_event_change", args=[self.pk])
