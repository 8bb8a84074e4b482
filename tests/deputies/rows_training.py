"""Admin changelist row makers for training (merged into tests/congress/test_admin.py)."""

from typing import Any

from deputies.models import LearningMaterial, MaterialCompletion, TrainingPlan
from tests.deputies.factories import DeputyFactory
from tests.deputies.factories_training import (
    LearningMaterialFactory,
    MaterialCompletionFactory,
    PlannedCourseFactory,
    TrainingPlanFactory,
)


def _plans(world: Any) -> list[Any]:
    plans = [TrainingPlanFactory(congress=world.a.congress, year=2030 + n) for n in range(18)]
    for plan in plans[:3]:
        PlannedCourseFactory(plan=plan, organiser=world.a.committee)
    return plans


def _completions(world: Any) -> list[Any]:
    material = LearningMaterialFactory(congress=world.a.congress)
    return [MaterialCompletionFactory(material=material, deputy=DeputyFactory()) for _ in range(18)]


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {
    TrainingPlan: _plans,
    LearningMaterial: lambda world: LearningMaterialFactory.create_batch(18, congress=world.a.congress),
    MaterialCompletion: _completions,
}
