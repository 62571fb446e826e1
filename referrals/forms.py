import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emulation.models import Unit
from tayho_site.forms import CaptchaForm, HoneypotField, PublicForm, ResidentForm, consent_field
from tayho_site.validators import checked_picture_or_document, checked_upload

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


MAX_REPORT_DOCUMENT_BYTES = 10 * 1024 * 1024


class ReportDetailsForm(PublicForm):
    """What a report of passing the buck says, whoever types it: the resident on the
    public form (ReportForm) or ward staff for them (StaffReportForm)."""

    office = forms.ModelChoiceField(
        label=_("Office concerned (if it is in the list)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Not in the list"),
    )
    office_text = forms.CharField(
        label=_("The office or procedure"),
        max_length=250,
        help_text=_("E.g. the ward's one-stop desk, a construction permit, a birth registration."),
    )
    asked = forms.CharField(label=_("What you asked for"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    sent_where = forms.CharField(
        label=_("Who sent you where"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Each desk or office you were sent to, and what you were told there."),
    )
    first_on = forms.DateField(
        label=_("Date of the first visit"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last_on = forms.DateField(
        label=_("Date of the last visit"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document = forms.FileField(
        label=_("A document (optional: .jpg, .png, .pdf or .docx, up to 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only for the organisers, if they need to ask you something."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Unit.objects.filter(active=True).order_by("path")
        self.document_kind = ""
        for name in ("first_on", "last_on"):
            self.fields[name].error_messages["invalid"] = _("Please enter a date, e.g. 15/11/2026.")

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        upload, self.document_kind = checked_picture_or_document(
            upload, stem="document", max_bytes=MAX_REPORT_DOCUMENT_BYTES
        )
        return upload

    def clean(self):
        data = super().clean()
        first, last = data.get("first_on"), data.get("last_on")
        today = timezone.localdate()
        if first and last and first > last:
            self.add_error("last_on", _("The last visit cannot be before the first."))
        elif last and last > today:
            self.add_error("last_on", _("The date cannot be in the future."))
        return data

    def report_data(self):
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "office",
                "office_text",
                "asked",
                "sent_where",
                "first_on",
                "last_on",
                "full_name",
                "email",
                "phone",
            )
        }


class ReportForm(ResidentForm, ReportDetailsForm):
    """A resident's report from the public form: the shared pieces of ResidentForm (name,
    e-mail for the confirmation link, honeypot, captcha), the report, and the consent."""

    personal_data = consent_field(
        _(
            "I agree that the organisers process my personal data to handle this report, as the Personal Data "
            "Protection Law allows. It is published only as a summary without my name."
        )
    )


class StaffReportForm(ReportDetailsForm):
    """Ward staff enter a report for a resident who has no e-mail, at the one-stop desk."""

    full_name = forms.CharField(label=_("Resident's full name"), max_length=120)
    email = forms.EmailField(label=_("Resident's e-mail (if any)"), max_length=254, required=False)
    resident_consent = consent_field(
        _(
            "The resident has agreed, in person, that the organisers process their personal data to handle this "
            "report, and that it is published only as a summary without their name."
        )
    )

    clean_phone = ResidentForm.clean_phone


class ScreenForm(PublicForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("publish", _("Publish an anonymised summary")),
            ("private", _("Keep it private")),
            ("refuse", _("Refuse, with a reason")),
        ],
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Anonymised summary (public)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words, without the resident's name or anything that identifies them."),
    )
    reason = forms.CharField(
        label=_("Reason for refusing (the author reads it)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReferReportForm(PublicForm):
    unit = forms.ModelChoiceField(
        label=_("Refer to"),
        queryset=Unit.objects.none(),
        empty_label=_("Choose the unit"),
        help_text=_("The unit that supervises the office concerned."),
    )
    working_days = forms.IntegerField(label=_("Working days to answer"), min_value=1, max_value=120, initial=10)

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(active=True).order_by("path")
        if report is not None and report.office is not None and not report.office.is_root():
            self.fields["unit"].initial = report.office.get_parent().pk
