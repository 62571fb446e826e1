import json
import re

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tayho_site.forms import PublicForm, ResidentForm, consent_field
from tayho_site.models import Ward
from tayho_site.sanitize import clean_html
from tayho_site.validators import checked_upload

from .actions.entries import count_words
from .models import ContestCategory, Entrant, EntryConsent

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_BODY_CHARACTERS = 200_000


class EntryContentForm(PublicForm):
    """What an author may change until the closing time: the text and how it is signed."""

    pen_name = forms.CharField(label=_("Pen name (optional)"), max_length=120, required=False)
    show_as = forms.ChoiceField(
        label=_("Name shown if your entry wins"), choices=Entrant.ShowAs.choices, initial=Entrant.ShowAs.FULL_NAME
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ContestCategory.objects.none(), empty_label=_("Choose a category")
    )
    title = forms.CharField(label=_("Title of the entry"), max_length=200)
    body = forms.CharField(
        label=_("Your text"),
        max_length=MAX_BODY_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 18, "data-rich-text": "true"}),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional, .docx or .pdf, up to 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.fields["category"].queryset = ContestCategory.objects.filter(page=contest)
        self.fields["body"].help_text = _("Between %(min)s and %(max)s words.") % {
            "min": contest.min_words,
            "max": contest.max_words,
        }
        self.fields["body"].widget.attrs["data-rich-text-labels"] = json.dumps(
            {
                "toolbar": str(_("Formatting")),
                "bold": str(_("Bold")),
                "italic": str(_("Italic")),
                "bullets": str(_("Bulleted list")),
                "numbers": str(_("Numbered list")),
                "quote": str(_("Quote")),
                "paragraph": str(_("Paragraph")),
            },
            ensure_ascii=False,
        )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Please give your entry a title."))
        return title

    def clean_body(self):
        raw = self.cleaned_data["body"]
        if not re.search(r"</?[a-zA-Z]", raw):  # plain text from the textarea: each line a paragraph
            raw = "".join(f"<p>{escape(line.strip())}</p>" for line in raw.splitlines() if line.strip())
        body = clean_html(raw)
        words = count_words(body)
        if words < self.contest.min_words:
            raise forms.ValidationError(
                ngettext(
                    "Your text has %(count)s word; the rules ask for at least %(min)s.",
                    "Your text has %(count)s words; the rules ask for at least %(min)s.",
                    words,
                )
                % {"count": words, "min": self.contest.min_words}
            )
        if words > self.contest.max_words:
            raise forms.ValidationError(
                ngettext(
                    "Your text has %(count)s word; the rules allow at most %(max)s.",
                    "Your text has %(count)s words; the rules allow at most %(max)s.",
                    words,
                )
                % {"count": words, "max": self.contest.max_words}
            )
        return body

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        upload, _kind, self.attachment_name = checked_upload(
            upload,
            kinds={"pdf", "docx"},
            stem="entry",
            max_bytes=MAX_ATTACHMENT_BYTES,
            too_big=_("The attachment is larger than 10 MB."),
            wrong_kind=_("The attachment must be a real .docx or .pdf file."),
        )
        return upload


class EntryForm(EntryContentForm, ResidentForm):
    birth_year = forms.IntegerField(label=_("Year of birth"))
    phone = forms.CharField(
        label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    ward = forms.ModelChoiceField(
        label=_("Ward"),
        queryset=Ward.objects.none(),
        empty_label=_("Choose your ward"),
        help_text=_("Where you live, study or work."),
    )
    address = forms.CharField(label=_("Address (optional)"), max_length=300, required=False)
    occupation = forms.CharField(label=_("Occupation or unit"), max_length=200, required=False)
    accept_rules = consent_field(_("I have read and accept the contest rules."))
    original_work = consent_field(_("The work is my own, original and has not been published anywhere."))
    personal_data = consent_field(
        _(
            "I agree that the organisers process my personal data to run this contest, as the Personal Data "
            "Protection Law allows."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(active=True)

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not 1900 <= year <= this_year - 6:
            raise forms.ValidationError(_("Enter a year of birth between 1900 and %(year)s.") % {"year": this_year - 6})
        return year

    def entrant_data(self):
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "full_name",
                "pen_name",
                "birth_year",
                "phone",
                "email",
                "ward",
                "address",
                "occupation",
                "show_as",
            )
        }

    def consents(self):
        return [EntryConsent.Kind.RULES, EntryConsent.Kind.ORIGINAL, EntryConsent.Kind.PERSONAL_DATA]
