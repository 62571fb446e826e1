from django import forms
from django.utils.translation import gettext_lazy as _

from emulation.models import Manifestation, Person, Unit


class FindingForm(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Unit"))
    manifestation = forms.ModelChoiceField(Manifestation.objects.all(), label=_("Manifestation"))
    people = forms.ModelMultipleChoiceField(Person.objects.none(), required=False, label=_("People concerned"))
    found_on = forms.DateField(label=_("Found on"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        units = inspection.units.all()
        self.fields["unit"].queryset = units
        self.fields["people"].queryset = Person.objects.filter(unit__in=units, active=True)
