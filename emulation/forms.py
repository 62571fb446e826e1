from django import forms
from django.utils.translation import gettext_lazy as _

from tayho_site.forms import PublicForm

from .models import MovementPage, Person, Unit

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class CommitmentForm(PublicForm):
    movement = forms.ModelChoiceField(label=_("Movement"), queryset=MovementPage.objects.live())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False,
                                    help_text=_("Empty when the unit itself commits."))
    title = forms.CharField(label=_("Task"), max_length=250)
    target = forms.CharField(label=_("What will be different when it is done"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}),
                               input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    supervisor = forms.ModelChoiceField(label=_("Supervising organisation"), queryset=Unit.objects.all())
    public = forms.BooleanField(label=_("Shown to the public"), required=False, initial=True)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["person"].queryset = Person.objects.filter(unit__in=units, active=True)


class ReportForm(PublicForm):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    narrative = forms.CharField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(label=_("Evidence (optional, up to 10 MB)"), required=False)
    ready = forms.BooleanField(label=_("Done: ask the supervisor to verify"), required=False)

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class RemarkForm(PublicForm):
    text = forms.CharField(label=_("Remark"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    verdict = forms.ChoiceField(label=_("Verdict"), required=False, choices=[
        ("", _("Remark only")), ("verified", _("Verified done")), ("not_achieved", _("Not achieved"))])
