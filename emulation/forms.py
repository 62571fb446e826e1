from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tayho_site.forms import PublicForm
from tayho_site.validators import checked_upload

from .models import BAND_CHOICES, UNIT_RESULT_CHOICES, MovementPage, Person, Unit

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class CommitmentForm(PublicForm):
    movement = forms.ModelChoiceField(label=_("Movement"), queryset=MovementPage.objects.live())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Empty when the unit itself commits."),
    )
    title = forms.CharField(label=pgettext_lazy("commitment", "Task"), max_length=250)
    target = forms.CharField(
        label=_("What will be different when it is done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    supervisor = forms.ModelChoiceField(label=_("Supervising organisation"), queryset=Unit.objects.all())
    public = forms.BooleanField(label=_("Shown to the public"), required=False, initial=True)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["person"].queryset = Person.objects.filter(unit__in=units, active=True)


class ReportForm(PublicForm):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    narrative = forms.CharField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=_("Evidence (optional: .pdf, .docx, .jpg or .png, up to 10 MB)"), required=False)
    ready = forms.BooleanField(label=_("Done: ask the supervisor to verify"), required=False)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        upload, _kind, _name = checked_upload(
            upload,
            kinds={"pdf", "docx", "jpeg", "png"},
            stem="minh-chung",
            max_bytes=MAX_EVIDENCE_BYTES,
            too_big=_("The file is larger than 10 MB."),
            wrong_kind=_("The file must be a real .pdf, .docx, .jpg or .png."),
        )
        return upload


class RemarkForm(PublicForm):
    text = forms.CharField(label=_("Remark"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        required=False,
        choices=[("", _("Remark only")), ("verified", _("Verified done")), ("not_achieved", _("Not achieved"))],
    )


def points_label(value):
    """Points as people write them: 70, 7,5 (localised, no trailing zeros)."""
    from django.template.defaultfilters import floatformat

    return floatformat(value, "-2")


class OpenMonthForm(PublicForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%m/%Y"],
        help_text=_("For example 10/2026."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class UnitResultForm(PublicForm):
    unit_result = forms.ChoiceField(label=_("The unit's own result"), choices=[("", "—"), *UNIT_RESULT_CHOICES])


class AssessmentForm(PublicForm):
    """Points per criterion of the unit kind's rubric and the deductions found; without
    a rubric, the band itself."""

    comment = forms.CharField(
        label=pgettext_lazy("assessment", "Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, rubric, detail=None, band="", **kwargs):
        super().__init__(*args, **kwargs)
        detail = detail or {}
        self.rubric = rubric
        if rubric is None:
            self.fields["band"] = forms.ChoiceField(label=_("Rating"), choices=[("", "—"), *BAND_CHOICES], initial=band)
        else:
            given = detail.get("criteria", {})
            for criterion in rubric.criteria.all():
                self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                    label=criterion.text,
                    min_value=0,
                    max_value=criterion.max_points,
                    decimal_places=2,
                    help_text=_("At most %(points)s points.") % {"points": points_label(criterion.max_points)},
                    initial=given.get(str(criterion.pk)),
                    error_messages={
                        "max_value": _("At most %(limit_value)s points."),
                        "min_value": _("Points cannot be negative."),
                    },
                )
            deductions = list(rubric.deductions.all())
            if deductions:
                self.fields["deductions"] = forms.MultipleChoiceField(
                    label=_("Manifestations of violations found this month"),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    choices=[
                        (str(d.pk), _("%(text)s (−%(points)s points)") % {"text": d, "points": points_label(d.points)})
                        for d in deductions
                    ],
                    initial=detail.get("deductions", []),
                )
        self.order_fields([*[name for name in self.fields if name != "comment"], "comment"])
        self.fields["comment"].initial = detail.get("comment", "")

    def assessment(self):
        """Keyword arguments for `monthly.assess`."""
        data = self.cleaned_data
        if self.rubric is None:
            return {"band": data["band"], "comment": data["comment"]}
        return {
            "criteria": {
                name.removeprefix("criterion_"): value for name, value in data.items() if name.startswith("criterion_")
            },
            "deductions": data.get("deductions", []),
            "comment": data["comment"],
        }


class ProposalDecisionForm(PublicForm):
    """The head's decision on one proposal of the month: confirm or reject, with the
    reason, and the cadre concerned when the proposal names none."""

    proposal = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("confirm", _("Confirm")), ("reject", pgettext_lazy("proposal", "Reject"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    person = forms.ModelChoiceField(
        label=_("Cadre concerned"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("When the proposal names no cadre: whom a confirmed deduction or merit goes to."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
