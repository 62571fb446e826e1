"""Form pieces every public form shares: captcha, honeypot, consent, the resident's
identity."""

from captcha.fields import CaptchaField
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


def captcha_field():
    """The captcha picture of public forms (CaptchaForm offers the way without it)."""
    return CaptchaField(
        label=_("Verification code"),
        help_text=_("Type the characters shown in the picture. Hard to read? Load a new picture."),
        error_messages={
            "invalid": _("The verification code is wrong or has expired. Please type the new code."),
            "required": _("Please type the verification code."),
        },
    )


class HoneypotField(forms.CharField):
    """A field people never see and bots fill in."""

    def __init__(self, **kwargs):
        super().__init__(required=False, label=_("Leave this field empty"), **kwargs)
        self.widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean(self, value):
        value = super().clean(value)
        if value:
            raise forms.ValidationError(_("This submission looks automated and was refused."), code="honeypot")
        return value


def consent_field(label, help_text=""):
    return forms.BooleanField(
        label=label,
        help_text=help_text,
        required=True,
        error_messages={"required": _("Please read and tick this box to continue.")},
    )


class PublicForm(forms.Form):
    """Base of every public form: plain, friendly Vietnamese error messages for the
    cases Django's own catalogue words awkwardly."""

    required_message = _("Please fill in this field.")
    max_length_message = _("Please keep this to at most %(limit_value)d characters (it has %(show_value)d).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            messages = field.error_messages
            if messages.get("required") == forms.Field.default_error_messages["required"]:
                messages["required"] = self.required_message
            if isinstance(field, forms.IntegerField):
                messages["invalid"] = _("Please enter a number, e.g. 1990.")
            if isinstance(field, forms.EmailField):
                messages["invalid"] = _("Please enter a valid e-mail address, e.g. ten@example.vn.")
            if isinstance(field, forms.ChoiceField):
                messages["invalid_choice"] = _("Please choose one of the options in the list.")
            field.validators = [
                MaxLengthValidator(validator.limit_value, message=self.max_length_message)
                if isinstance(validator, MaxLengthValidator)
                else validator
                for validator in field.validators
            ]


class CaptchaForm(PublicForm):
    """A public form checked by the captcha picture or, for people who cannot see it
    (without_picture=True), by nothing on the page: what it sends is held, neither
    published nor counted, until the link mailed to the sender is opened, and counts
    against tighter rate limits (submissions.refusal). A question on the page in place
    of the picture would be answered by a script reading the page just as well."""

    captcha = captcha_field()

    def __init__(self, *args, without_picture=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.without_picture = without_picture
        captcha = self.fields.pop("captcha")
        if not without_picture:
            self.fields["captcha"] = captcha  # last, after the fields of the form that extends this one


class ResidentForm(CaptchaForm):
    """Who sends something from a public form (an entry, an idea): name and e-mail (the
    confirmation link goes there), a phone when the form has one, the honeypot and the
    check of CaptchaForm."""

    full_name = forms.CharField(label=_("Full name"), max_length=120)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The confirmation link is sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = HoneypotField()

    def clean_phone(self):
        from .validators import normalize_vietnamese_phone

        phone = self.cleaned_data.get("phone", "")
        return normalize_vietnamese_phone(phone) if phone else phone
