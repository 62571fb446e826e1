from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from emulation.models import Manifestation, Person, Unit

from .models import Inspection


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Unit"))
    manifestation = forms.ModelChoiceField(Manifestation.objects.all(), label=_("Manifestation"), required=False)
    exemplary = forms.BooleanField(
        label=_("Exemplary conduct"),
        required=False,
        help_text=_("Conduct worth following rather than a failing: it may be proposed for an honour."),
    )
    people = forms.ModelMultipleChoiceField(Person.objects.none(), required=False, label=_("People concerned"))
    found_on = forms.DateField(label=_("Found on"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        units = inspection.units.all()
        self.fields["unit"].queryset = units
        self.fields["people"].queryset = Person.objects.filter(unit__in=units, active=True)

    def clean(self):
        data = super().clean()
        if not data.get("exemplary") and not data.get("manifestation") and "manifestation" not in self.errors:
            self.add_error(
                "manifestation", _("Name the manifestation found, or mark the finding as exemplary conduct.")
            )
        return data


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    kind = forms.ChoiceField(label=_("Kind"), choices=Inspection.Kind.choices)
    subject = forms.ChoiceField(label=_("Subject"), choices=Inspection.Subject.choices)
    topic = forms.CharField(label=_("Topic"), max_length=250, required=False)
    units = forms.ModelMultipleChoiceField(Unit.objects.filter(active=True), label=_("Units inspected"))
    team = forms.ModelMultipleChoiceField(
        get_user_model().objects.filter(is_active=True, person__isnull=False).order_by("person__full_name"),
        label=_("Team"),
    )
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].label_from_instance = lambda user: user.person.full_name


class ConclusionForm(forms.Form):
    """A conclusion and up to five remedies, each for one of the units inspected."""

    REMEDIES = 5

    number = forms.CharField(label=_("Number"), max_length=60)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    document = forms.FileField(label=_("Document"), required=False)
    working_days = forms.IntegerField(label=_("Working days to answer"), min_value=1, max_value=120, initial=10)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        units = inspection.units.all()
        for n in range(self.REMEDIES):
            self.fields[f"unit_{n}"] = forms.ModelChoiceField(units, label=_("Unit"), required=False)
            self.fields[f"remedy_{n}"] = forms.CharField(
                label=_("What must be done"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def remedies(self):
        data = self.cleaned_data
        return [
            (data[f"unit_{n}"], data[f"remedy_{n}"])
            for n in range(self.REMEDIES)
            if data.get(f"unit_{n}") and data.get(f"remedy_{n}", "").strip()
        ]
