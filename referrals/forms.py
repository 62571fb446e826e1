from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emulation.models import Unit
from tayho_site.forms import PublicForm

from .models import Referral


class AnswerForm(PublicForm):
    outcome = forms.ChoiceField(label=_("Answer"), choices=Referral.Outcome.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("The answer (public)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What will be done and how, what was done, or why not. The author and the public read it."),
    )
    plan_date = forms.DateField(
        label=_("To be done by (for an accepted idea)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Referral.Outcome.ACCEPTED and not data.get("plan_date"):
            self.add_error("plan_date", _("An accepted idea needs the date by which it will be done."))
        if data.get("plan_date") and data["plan_date"] < timezone.localdate():
            self.add_error("plan_date", _("The planned date cannot be in the past."))
        return data


class TransferForm(PublicForm):
    to_unit = forms.ModelChoiceField(
        label=_("Transfer to"), queryset=Unit.objects.none(), empty_label=_("Choose the unit")
    )
    reason = forms.CharField(
        label=_("Reason (public)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why this unit is the right one. The deadline does not change, and the "
            "transfer is counted on the accountability page."
        ),
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = Unit.objects.filter(active=True).exclude(pk=referral.unit_id).order_by("path")


class NoteForm(PublicForm):
    text = forms.CharField(
        label=_("Private note of your unit"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only officers of the unit holding the referral read it."),
    )
