"""What the contest tells other apps, without knowing them."""

from django.dispatch import Signal

# Sent inside the transaction that publishes a contest's results; arguments: contest, by.
# The emulation movement listens, to propose each prize winner for an honour.
results_published = Signal()
