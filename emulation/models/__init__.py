"""The emulation app's models, by subject. Honours (emulation/honours/) register their
own models with this app; nothing here imports them."""

from .commitments import Commitment, Milestone, ProgressReport, SupervisorRemark, evidence_path
from .monthly import (
    BAND_CHOICES,
    UNIT_RESULT_CHOICES,
    CadreRating,
    EvaluationSettings,
    MonthProposal,
    Rubric,
    RubricCriterion,
    RubricDeduction,
    UnitMonth,
)
from .movement import Manifestation, MovementPage
from .organisation import Person, Unit, UnitKind

__all__ = [
    "BAND_CHOICES",
    "UNIT_RESULT_CHOICES",
    "CadreRating",
    "Commitment",
    "EvaluationSettings",
    "Manifestation",
    "Milestone",
    "MonthProposal",
    "MovementPage",
    "Person",
    "ProgressReport",
    "Rubric",
    "RubricCriterion",
    "RubricDeduction",
    "SupervisorRemark",
    "Unit",
    "UnitKind",
    "UnitMonth",
    "evidence_path",
]
