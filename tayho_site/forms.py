"""Form pieces every public form shares: captcha, honeypot, consent, the resident's
identity."""

import secrets

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

NUMBER_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]


def vietnamese_math_challenge():
    """A sum in words, for people who cannot read the picture: ("bảy cộng hai", "9")."""
    first, second = secrets.randbelow(10) + 1, secrets.randbelow(10) + 1
    plus = _("plus")
    return f"{NUMBER_WORDS[first]} {plus} {NUMBER_WORDS[second]}", str(first + second)


class TextCaptchaInput(CaptchaTextInput):
    """The captcha as a question in words instead of a picture."""

    template_name = "tayho_site/widgets/text_captcha.html"

    challenge = ""

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        def generate():
            self.challenge, response = vietnamese_math_challenge()
            return self.challenge, response

        return super().fetch_captcha_store(name, value, attrs, generate)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["challenge"] = self.challenge
        # The answer box is described by the question, so screen readers read both.
        question_id = f"{(attrs or {}).get('id') or name}_question"
        context["question_id"] = question_id
        answer = context["widget"]["subwidgets"][1]["attrs"]
        answer["aria-describedby"] = " ".join(filter(None, [question_id, answer.get("aria-describedby")]))
        return context


def captcha_field(text=False):
    """The captcha of public forms: a picture, or (text=True) a sum in words."""
    extra = {"widget": TextCaptchaInput()} if text else {}
    return CaptchaField(
        label=_("Verification code") if not text else _("Verification question"),
        help_text=(_("Type the characters shown in the picture. Hard to read? Load a new picture.") if not text
                   else _("Answer with digits, e.g. 7.")),
        error_messages={
            "invalid": _("The verification code is wrong or has expired. Please type the new code.") if not text
            else _("The answer is not right, or the question has expired. Please answer the new question."),
            "required": _("Please type the verification code.") if not text else _("Please answer the question."),
        },
        **extra,
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
        label=label, help_text=help_text, required=True,
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
                if isinstance(validator, MaxLengthValidator) else validator
                for validator in field.validators
            ]


class ResidentForm(PublicForm):
    """Who sends something from a public form (an entry, an idea): name and e-mail (the
    confirmation link goes there), a phone when the form has one, the honeypot and the
    captcha — a picture, or with text_captcha=True a question in words."""

    full_name = forms.CharField(label=_("Full name"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), max_length=254, help_text=_("The confirmation link is sent here."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    website = HoneypotField()
    captcha = captcha_field()

    def __init__(self, *args, text_captcha=False, **kwargs):
        super().__init__(*args, **kwargs)
        if text_captcha:  # for people who cannot read the picture
            self.fields["captcha"] = captcha_field(text=True)
        self.text_captcha = text_captcha

    def clean_phone(self):
        from .validators import normalize_vietnamese_phone

        phone = self.cleaned_data.get("phone", "")
        return normalize_vietnamese_phone(phone) if phone else phone
