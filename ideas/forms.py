from django import forms
from django.utils.translation import gettext_lazy as _

from tayho_site.forms import CaptchaForm, ResidentForm, consent_field
from tayho_site.models import Ward
from tayho_site.validators import checked_picture_or_document

from .models import Idea, IdeaCallPage, IdeaConsent, Sector

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
TEXTAREA = {"rows": 5}


class IdeaForm(ResidentForm):
    title = forms.CharField(
        label=_("Title of the idea"), max_length=200, help_text=_("One line that says what you propose.")
    )
    problem = forms.CharField(
        label=_("The problem"),
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("What is wrong or could be better today, and where."),
    )
    proposal = forms.CharField(
        label=_("Your proposal"),
        max_length=10000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("What should be done, by whom, how."),
    )
    benefit = forms.CharField(
        label=_("Expected benefit"),
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Who gains and how; a rough cost if you know it."),
    )
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none(), empty_label=_("Choose a sector"))
    ward = forms.ModelChoiceField(
        label=_("Ward (optional)"), queryset=Ward.objects.none(), required=False, empty_label=_("Not tied to one ward")
    )
    place = forms.CharField(
        label=_("Place (optional)"),
        max_length=200,
        required=False,
        help_text=_("A street, a landmark, a stretch of the lake shore…"),
    )
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        help_text=_("A point on the map, e.g. 21.0545 (copied from a map application)."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        help_text=_("E.g. 105.8232."),
    )
    attachment = forms.FileField(
        label=_("A picture or a document (optional: .jpg, .png, .pdf or .docx, up to 10 MB)"),
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
    show_name = forms.BooleanField(
        label=_("Show my name with the idea"),
        required=False,
        help_text=_("Unticked, the idea is shown as from an anonymous resident."),
    )
    accept_rules = consent_field(_("I have read and accept the rules of the idea box."))
    personal_data = consent_field(
        _(
            "I agree that the organisers process my personal data to handle this idea, as the Personal Data "
            "Protection Law allows."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(active=True)
        self.fields["ward"].queryset = Ward.objects.filter(active=True)
        self.attachment_kind = ""
        for name in ("latitude", "longitude"):
            self.fields[name].error_messages["invalid"] = _("Please enter a number, e.g. 21.0545.")
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def _words(self, name, minimum):
        text = " ".join(self.cleaned_data[name].split())
        if len(text.split()) < minimum:
            raise forms.ValidationError(
                _("Please write a little more (at least %(count)s words).") % {"count": minimum}
            )
        return self.cleaned_data[name].strip()

    def clean_title(self):
        return " ".join(self._words("title", 2).split())  # one line: it heads e-mails

    def clean_problem(self):
        return self._words("problem", 5)

    def clean_proposal(self):
        return self._words("proposal", 5)

    def clean_benefit(self):
        return self._words("benefit", 3)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        upload, self.attachment_kind = checked_picture_or_document(upload, stem="idea", max_bytes=MAX_ATTACHMENT_BYTES)
        return upload

    def clean(self):
        data = super().clean()
        if (
            (data.get("latitude") is None) != (data.get("longitude") is None)
            and not self.has_error("latitude")
            and not self.has_error("longitude")
        ):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        return data

    def idea_data(self):
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("title", "problem", "proposal", "benefit", "sector", "ward", "place", "latitude", "longitude")
        }

    def author_data(self):
        data = self.cleaned_data
        return {name: data[name] for name in ("full_name", "email", "phone", "show_name")}

    def consents(self):
        return [IdeaConsent.Kind.RULES, IdeaConsent.Kind.PERSONAL_DATA]


class SupportForm(CaptchaForm):
    email = forms.EmailField(
        label=_("Your e-mail"),
        max_length=254,
        help_text=_("We send a link to confirm your support; the address is not kept."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    follow = forms.BooleanField(
        label=_("Also e-mail me this idea's news"),
        required=False,
        help_text=_(
            "The unit's answers and the requests to say whether they resolved it. Your address is then kept "
            "for this alone; every e-mail has a link to stop them at once."
        ),
    )


class FilterForm(forms.Form):
    """The gallery's filters, read from the query string; bad values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    linh_vuc = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False, empty_label=_("All sectors")
    )
    phuong = forms.ModelChoiceField(
        label=_("Ward"), queryset=Ward.objects.all(), required=False, empty_label=_("All wards")
    )
    tinh_trang = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses"))] + list(Idea.Stage.choices)
    )
    sap_xep = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[("moi-nhat", _("Newest")), ("nhieu-ung-ho", _("Most supported"))]
    )

    def values(self):
        if not self.is_valid():
            return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return self.cleaned_data


class StaffIdeaForm(IdeaForm):
    """Ward staff enter an idea for a resident who has no e-mail: the idea form without
    the captcha, the e-mail optional, the call chosen, and the consents given by the
    resident in person."""

    call = forms.ModelChoiceField(label=_("Idea call"), queryset=IdeaCallPage.objects.none(), empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, without_picture=True, **kwargs)
        self.fields.pop("website")
        self.fields["call"].queryset = IdeaCallPage.objects.live().order_by("-opens_at")
        self.fields["full_name"].label = _("Resident's full name")
        self.fields["email"].label = _("Resident's e-mail (if any)")
        self.fields["email"].required = False
        self.fields["accept_rules"].label = _("The resident has been told the rules of the idea box and accepts them.")
        self.fields["personal_data"].label = _(
            "The resident has agreed, in person, that the organisers process their personal data to handle this idea."
        )
