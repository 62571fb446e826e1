import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emulation.models import Unit
from tayho_site.forms import CaptchaForm, HoneypotField, PublicForm
from tayho_site.validators import checked_upload

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

    milestones = forms.CharField(
        label=_("Milestones (for an accepted idea)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One a line, the date first: "15/01/2027 Survey done". Shown publicly on the idea\'s page.'),
    )

    def clean_milestones(self):
        milestones = []
        for line in self.cleaned_data["milestones"].splitlines():
            if not line.strip():
                continue
            day, _space, title = line.strip().partition(" ")
            try:
                due_on = datetime.datetime.strptime(day, "%d/%m/%Y").date()
            except ValueError:
                raise forms.ValidationError(
                    _('Write each milestone as a date and a title, e.g. "15/01/2027 Survey done".')
                ) from None
            if not title.strip():
                raise forms.ValidationError(_("Please name the milestone."))
            milestones.append((title.strip()[:250], due_on))
        return milestones

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


MAX_VERDICT_PHOTO_BYTES = 5 * 1024 * 1024


class VerdictForm(CaptchaForm):
    """The resident's word on a unit's answer, from the signed link in the e-mail."""

    resolved = forms.TypedChoiceField(
        label=_("Has the answer resolved it?"),
        choices=[("yes", _("Resolved")), ("no", _("Not resolved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when it is not resolved: say what is still wrong. The unit reads it."),
    )
    photo = forms.FileField(
        label=_("A photo (optional: .jpg or .png, up to 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )
    website = HoneypotField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_kind = ""

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        upload, self.photo_kind, _name = checked_upload(
            upload,
            kinds={"jpeg", "png"},
            stem="photo",
            max_bytes=MAX_VERDICT_PHOTO_BYTES,
            too_big=_("The photo is larger than 5 MB."),
            wrong_kind=_("The photo must be a real picture (.jpg or .png)."),
        )
        return upload

    def clean(self):
        data = super().clean()
        if data.get("resolved") is False and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Please say what is still not resolved."))
        return data
