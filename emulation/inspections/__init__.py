"""Inspections (app "inspections"): planned and surprise checks, their findings, the
conclusions and the remedies these require, and the weekly follow-up report.

Why here and why an app of its own: the design page puts inspections under emulation/
(they are part of the Directive 24 movement) with the dependency `emulation/inspections →
referrals`, because each remedy *is* a referral to its unit (referrals.actions.refer, the
working-day clock, transfers, answers) — not a second mechanism. Referrals already depend
on emulation, so these models cannot live in emulation's migrations (that would make the
two apps' migrations depend on each other): unlike emulation.honours, this app keeps its
own tables and migrations under the label "inspections", installed after referrals.
Emulation never imports it; findings reach the month's evaluation through the proposals
registry (proposals.py here)."""
