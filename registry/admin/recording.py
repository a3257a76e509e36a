"""The process page's "Record a new account": the lists of a document pasted by role, a preview
against the account in force on the source's date, each name that does not resolve settled (a
candidate, another participant, or a new one), then the whole account written at once. The
rules are registry.models.recording's; this module is the form around them."""

import hashlib
import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import models as m
from ..choices import DepartureKind, MechanismType, ParticipantKind, Role, SecretariatKind
from ..dates import PartialDateError, parse_partial_date
from ..local_names import name_resolver
from ..permissions import RECORDING_PERMISSIONS
from .base import source_popup_widget

# The lists a document gives, most common first; the others are under "More roles".
COMMON_ROLES = [Role.MEMBER, Role.OBSERVER, Role.PARTNER, Role.OBSERVER_OR_PARTNER]
OTHER_ROLES = [r for r in Role if r not in COMMON_ROLES and r not in m.LEADERSHIP_ROLES]
TOTAL_ROLES = [Role.MEMBER, Role.OBSERVER, Role.PARTNER]
LIST_HELP = _("One name per line, or separated by commas, as the document writes them.")
LISTS_HELP = _(
    "The document names some of them (“X joined”, “among those present”): no one else is taken to have "
    "left. Unticked, the list is complete: whoever it omits has left the role from the source's date."
)
LEAVING_LABELS = {
    DepartureKind.LEFT.value: _("members who left"),
    DepartureKind.WITHDREW.value: _("members who withdrew"),
    m.SUSPENDED: _("members suspended"),
}


def _names_widget():
    return forms.Textarea(attrs={"rows": 8, "cols": 60, "class": "vLargeTextField"})


class AccountForm(forms.Form):
    source = forms.ModelChoiceField(
        m.SourceDocument.objects.order_by("-as_of", "title"),
        label=_("source"),
        help_text=_("The document; “+” adds one (a declaration, a meeting report, a web page …)."),
    )
    locator = forms.CharField(
        label=_("locator"), max_length=300, help_text=_("Where in the source: “para. 3”, “Annex I”.")
    )
    name_as_listed = forms.CharField(
        label=_("name of the process as the source writes it"), max_length=300, required=False
    )
    correction = forms.BooleanField(
        label=_("a correction of the past"),
        required=False,
        help_text=_("Needed for a source older than the account in force today."),
    )
    # What else the document states of the process; left empty: not stated (stays as it was).
    region = forms.CharField(
        label=_("region"),
        max_length=200,
        required=False,
        help_text=_("The regional heading, as the source writes it."),
    )
    year_established = forms.IntegerField(
        label=_("year established"), required=False, min_value=1900, max_value=2100
    )
    mechanism_type = forms.ChoiceField(
        label=_("type, as IOM classifies it"),
        required=False,
        choices=[("", _("not stated")), *MechanismType.choices],
    )
    secretariat_kind = forms.ChoiceField(
        label=_("secretariat arrangement"),
        required=False,
        choices=[("", _("not stated")), *SecretariatKind.choices],
    )
    secretariat = forms.CharField(
        label=_("secretariat, as the source describes it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    main_areas = forms.CharField(
        label=_("main areas of discussion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    change_reason = forms.CharField(
        label=_("reason for the change"),
        max_length=100,
        required=False,
        help_text=_("Kept in the history of every fact recorded."),
    )

    def __init__(self, *args, admin_site=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        for role in [*COMMON_ROLES, *OTHER_ROLES]:
            self.fields[f"list_{role.value}"] = forms.CharField(
                label=role.label, required=False, widget=_names_widget(), help_text=LIST_HELP
            )
            self.fields[f"partial_{role.value}"] = forms.BooleanField(label=_("partial list"), required=False)
        for kind, label in LEAVING_LABELS.items():
            self.fields[f"leaving_{kind}"] = forms.CharField(
                label=label, required=False, widget=_names_widget(), help_text=LIST_HELP
            )
        for role in TOTAL_ROLES:
            self.fields[f"total_{role.value}"] = forms.IntegerField(
                label=_("stated total: %(role)s") % {"role": role.label},
                required=False,
                min_value=0,
                max_value=32767,
            )
        for role in m.LEADERSHIP_ROLES:
            self.fields[f"leader_{role.value}"] = forms.CharField(
                label=role.label, required=False, max_length=300
            )
            self.fields[f"leader_{role.value}_start"] = forms.CharField(
                label=_("since"), required=False, max_length=10, help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
            )
        if admin_site is not None and request is not None:
            field = self.fields["source"]
            field.widget = source_popup_widget(field.widget, admin_site, request)

    def clean(self):
        data = super().clean()
        for role in m.LEADERSHIP_ROLES:
            start = data.get(f"leader_{role.value}_start")
            if start:
                try:
                    parse_partial_date(start)
                except PartialDateError as error:
                    self.add_error(f"leader_{role.value}_start", str(error))
        return data

    def lists(self) -> dict[str, list[str]]:
        lists = {}
        for role in [*COMMON_ROLES, *OTHER_ROLES]:
            names = m.split_names(self.cleaned_data.get(f"list_{role.value}", ""))
            if names:
                lists[role.value] = names
        return lists

    def leavings(self) -> list[m.Leaving]:
        return [
            m.Leaving(Role.MEMBER, name, kind)
            for kind in LEAVING_LABELS
            for name in m.split_names(self.cleaned_data.get(f"leaving_{kind}", ""))
        ]

    def aspects(self) -> m.AccountAspects:
        data = self.cleaned_data
        given = {name: data.get(name) for name in m.ASPECT_FIELDS if data.get(name) not in (None, "")}
        return m.AccountAspects(**given)

    def draft(self, process, picks) -> m.AccountDraft:
        data = self.cleaned_data
        return m.AccountDraft(
            process=process,
            source=data["source"],
            locator=data["locator"],
            lists=self.lists(),
            stated_totals={
                role.value: data[f"total_{role.value}"]
                for role in TOTAL_ROLES
                if data.get(f"total_{role.value}") is not None
            },
            leaders=[
                m.Leader(role.value, data[f"leader_{role.value}"], data.get(f"leader_{role.value}_start", ""))
                for role in m.LEADERSHIP_ROLES
                if data.get(f"leader_{role.value}")
            ],
            picks=picks,
            correction=data["correction"],
            reason=data["change_reason"],
            name_as_listed=data["name_as_listed"],
            partial_roles=frozenset(
                role.value for role in [*COMMON_ROLES, *OTHER_ROLES] if data.get(f"partial_{role.value}")
            ),
            leavings=self.leavings(),
            aspects=self.aspects(),
            resolver=name_resolver(),
        )

    def common_fields(self):
        return [(self[f"list_{r.value}"], self[f"partial_{r.value}"]) for r in COMMON_ROLES]

    def other_fields(self):
        return [(self[f"list_{r.value}"], self[f"partial_{r.value}"]) for r in OTHER_ROLES]

    def lists_help(self):
        return LISTS_HELP

    def leaving_fields(self):
        return [self[f"leaving_{kind}"] for kind in LEAVING_LABELS]

    def aspect_fields(self):
        return [self[name] for name in m.ASPECT_FIELDS]

    def total_fields(self):
        return [self[f"total_{role.value}"] for role in TOTAL_ROLES]

    def leader_fields(self):
        return [(self[f"leader_{r.value}"], self[f"leader_{r.value}_start"]) for r in m.LEADERSHIP_ROLES]


NEW, OTHER = "new", "other"


class ResolutionForm(forms.Form):
    """Who one name is: a ranked candidate, another participant (slug or ISO code), or a new one."""

    name = forms.CharField(widget=forms.HiddenInput)
    # Any participant's id is accepted (the candidates are only what the page offers first).
    choice = forms.CharField(label=_("who it is"), widget=forms.RadioSelect, required=False)
    other = forms.CharField(label=_("another participant (slug or ISO code)"), required=False)
    new_name = forms.CharField(label=_("name"), required=False, max_length=200)
    new_kind = forms.ChoiceField(label=_("kind"), choices=ParticipantKind.choices, required=False)
    new_iso_code = forms.CharField(label=_("ISO 3166-1 code"), required=False, max_length=2)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        self.fields["choice"].widget.choices = [
            *(
                (str(c.participant.pk), f"{c.participant} ({c.matched}, {c.score:.0%})")
                for c in self.candidates
            ),
            (OTHER, _("another participant")),
            (NEW, _("a new participant")),
        ]

    def clean(self):
        data = super().clean()
        choice = data.get("choice")
        if choice == OTHER:
            key = data.get("other", "").strip()
            found = (
                m.Participant.objects.filter(Q(slug=key) | Q(iso_code=key.upper())).first() if key else None
            )
            if found is None:
                self.add_error("other", _("No participant with this slug or ISO code."))
            data["participant"] = found
        elif choice == NEW:
            if not data.get("new_name") or not data.get("new_kind"):
                self.add_error("new_name", _("Give the new participant's name and kind."))
            data["participant"] = m.NewParticipant(
                data.get("new_name", ""), data.get("new_kind", ""), data.get("new_iso_code", "")
            )
        elif choice:
            data["participant"] = (
                m.Participant.objects.filter(pk=choice).first() if choice.isdigit() else None
            )
            if data["participant"] is None:
                self.add_error("choice", _("Choose one of the participants offered."))
        else:
            data["participant"] = None
        return data


def resolution_forms(request):
    """The submitted resolutions (bound), by name; and new unbound ones for the names still open."""
    forms_by_name = {}
    if request.method == "POST":
        count = min(int(request.POST.get("resolve-count", "0") or 0), 500)
        for index in range(count):
            name = request.POST.get(f"resolve-{index}-name", "")
            if name:
                forms_by_name[name] = ResolutionForm(request.POST, prefix=f"resolve-{index}")
    return forms_by_name


def record_account_view(model_admin, request, object_id):
    process = get_object_or_404(m.Process, pk=object_id)
    if not request.user.has_perms(RECORDING_PERMISSIONS):
        raise PermissionDenied
    form = AccountForm(
        request.POST if request.method == "POST" else None, admin_site=model_admin.admin_site, request=request
    )
    submitted = resolution_forms(request)
    picks = {
        name: f.cleaned_data["participant"]
        for name, f in submitted.items()
        if f.is_valid() and f.cleaned_data["participant"] is not None
    }
    preview, rows, fingerprint = None, [], ""
    if request.method == "POST" and form.is_valid():
        draft = form.draft(process, picks)
        preview = draft.preview()
        _report_errors(form, preview)
        fingerprint = _fingerprint(draft)
        settled = all(f.is_valid() for f in submitted.values())
        seen = request.POST.get("previewed") == fingerprint  # what is recorded is what was previewed
        if "record" in request.POST and not seen:
            messages.warning(request, _("The lists changed since the preview: check the new preview."))
        if "record" in request.POST and seen and form.is_valid() and preview.valid and settled:
            account = draft.apply(user=request.user)
            messages.success(
                request,
                format_html(
                    _("The account of {} by {} is recorded: {} joined, {} left, {} changed roles."),
                    process,
                    account.source.label,
                    len(preview.joined),
                    len(preview.left),
                    len(preview.changed),
                ),
            )
            return redirect(reverse("admin:registry_process_change", args=[process.pk]))
        rows = _resolution_rows(request, preview, submitted)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": process,
        "title": _("Record a new account of %(process)s") % {"process": process},
        "form": form,
        "preview": preview,
        "resolution_rows": rows,
        "fingerprint": fingerprint,
        "changes": _changes(preview) if preview and not preview.errors else None,
        "totals": [(Role(role).label, total) for role, total in preview.totals.items()] if preview else [],
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/registry/process/record_account.html", context)


FIELD_OF_ERROR = {"source": "source", "locator": "locator", "correction": "correction"}


def _fingerprint(draft) -> str:
    """What a preview showed: recording requires the same (the lists may be edited after it)."""
    picks = sorted((name, getattr(who, "pk", None) or repr(who)) for name, who in draft.picks.items())
    content = [
        draft.source.pk,
        draft.locator,
        draft.lists,
        draft.stated_totals,
        [repr(leader) for leader in draft.leaders],
        picks,
        draft.correction,
        sorted(draft.partial_roles),
        [repr(leaving) for leaving in draft.leavings],
        repr(draft.aspects),
    ]
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _changes(preview) -> dict:
    def rows(changes):
        return [
            {
                "participant": row.participant,
                "names": row.names,
                "labels": [Role(r).label for r in row.roles],
                "previous_labels": [Role(r).label for r in row.previous_roles],
                "departure": LEAVING_LABELS.get(row.departure, ""),
            }
            for row in changes
        ]

    return {
        "joined": rows(preview.joined),
        "left": rows(preview.left),
        "changed": rows(preview.changed),
        "unchanged": rows(preview.unchanged),
    }


def _report_errors(form, preview):
    if preview.existing is not None:
        form.add_error(
            "source",
            format_html(
                _('This source already has an account of this process: <a href="{}">change it</a>.'),
                reverse("admin:registry_processaccount_change", args=[preview.existing.pk]),
            ),
        )
    for key, errors in preview.errors.items():
        field = FIELD_OF_ERROR.get(key)
        if key in [r.value for r in m.LEADERSHIP_ROLES]:
            field = f"leader_{key}"
        for error in errors:
            form.add_error(field, error)


def _resolution_rows(request, preview, submitted):
    """A row per name to settle: those still unresolved, and those already settled (so that the
    choice stays on the page until the account is recorded)."""
    rows = []
    for index, resolution in enumerate([*preview.unresolved, *(e.resolution for e in preview.picked)]):
        prefix = f"resolve-{index}"
        bound = submitted.get(resolution.name)
        data = None
        if bound is not None:
            data = {
                k.replace(bound.prefix, prefix, 1): v
                for k, v in request.POST.items()
                if k.startswith(bound.prefix + "-")
            }
        form = ResolutionForm(
            data, prefix=prefix, initial={"name": resolution.name}, candidates=resolution.candidates
        )
        if data is not None:
            form.is_valid()
        rows.append({"name": resolution.name, "form": form, "ambiguous": resolution.ambiguous})
    return rows
