from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tayho_site.forms import PublicForm
from tayho_site.validators import checked_upload

from ..models import Person, Unit
from .models import HonourCategory, Vote

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class NominationForm(PublicForm):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Leave empty to nominate a collective (the unit)."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("For a collective: the unit honoured."),
    )
    category = forms.ModelChoiceField(
        label=_("Honour category"), queryset=HonourCategory.objects.none(), empty_label=_("Choose a category")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000)
    achievements = forms.CharField(
        label=_("Achievements"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What they did, with figures; each line a paragraph."),
    )
    show_photo = forms.BooleanField(label=_("The person agreed to publish their photo"), required=False)
    show_position = forms.BooleanField(label=_("The person agreed to publish their position"), required=False)
    evidence = forms.FileField(label=_("Evidence (optional: .pdf, .docx, .jpg or .png, up to 10 MB)"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(unit__in=units, active=True).select_related("unit")
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = HonourCategory.objects.filter(active=True)
        self.fields["year"].initial = timezone.localdate().year

    def clean_achievements(self):
        from django.utils.html import escape

        lines = [line.strip() for line in self.cleaned_data["achievements"].splitlines() if line.strip()]
        return "".join(f"<p>{escape(line)}</p>" for line in lines)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        upload, _kind, self.evidence_name = checked_upload(
            upload,
            kinds={"pdf", "docx", "jpeg", "png"},
            stem="minh-chung",
            max_bytes=MAX_EVIDENCE_BYTES,
            too_big=_("The file is larger than 10 MB."),
            wrong_kind=_("The file must be a real .pdf, .docx, .jpg or .png."),
        )
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("unit"):
            self.add_error("person", _("Choose the person, or the unit for a collective."))
        return data


class VoteForm(PublicForm):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect)


class DecisionForm(PublicForm):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    decision_signer = forms.CharField(label=_("Signed by"), max_length=200)


class PublishForm(PublicForm):
    citation = forms.CharField(label=_("Citation (one line, optional)"), max_length=500, required=False)


class RevokeForm(PublicForm):
    reason = forms.CharField(
        label=_("Reason for revoking (kept in the record)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    nam = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    danh_hieu = forms.ModelChoiceField(
        label=pgettext_lazy("honour", "Category"),
        queryset=HonourCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )
    don_vi = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label=_("All units")
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [("", _("All years"))] + [(y, y) for y in years]

    def values(self):
        self.is_valid()
        return self.cleaned_data


class WithdrawForm(PublicForm):
    reason = forms.CharField(
        label=_("Reason for withdrawing (kept in the record)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
