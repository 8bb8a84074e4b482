"""Factories of trainings and the learning area."""

from __future__ import annotations

import factory
from django.utils import timezone

from deputies.choices import MaterialKind, PlanStatus, TrainingKind
from deputies.models import LearningMaterial, MaterialCompletion, PlannedCourse, TrainingPlan
from tests.congress.factories import CommitteeFactory, CongressFactory


class TrainingPlanFactory(factory.django.DjangoModelFactory):
    """A draft plan (status is protected: approve through the service, or pass `approved=True`)."""

    congress = factory.SubFactory(CongressFactory)
    year = factory.Sequence(lambda n: 2026 + n)
    title = factory.LazyAttribute(lambda plan: f"{plan.year}年度代表培训计划")

    class Meta:
        model = TrainingPlan

    class Params:
        approved = factory.Trait(status=PlanStatus.APPROVED)


class PlannedCourseFactory(factory.django.DjangoModelFactory):
    plan = factory.SubFactory(TrainingPlanFactory)
    congress = factory.SelfAttribute("plan.congress")
    title = factory.Sequence(lambda n: f"专题培训班{n}")
    kind = TrainingKind.THEMATIC_AWAY
    organiser = factory.SubFactory(CommitteeFactory, congress=factory.SelfAttribute("..congress"))
    month = 6
    planned_deputies = 40

    class Meta:
        model = PlannedCourse


class LearningMaterialFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory(CongressFactory)
    title = factory.Sequence(lambda n: f"学习资料{n}")
    kind = MaterialKind.LINK
    url = "https://www.npc.gov.cn/"
    minutes = 30

    class Meta:
        model = LearningMaterial


class MaterialCompletionFactory(factory.django.DjangoModelFactory):
    material = factory.SubFactory(LearningMaterialFactory)
    congress = factory.SelfAttribute("material.congress")
    deputy = factory.SubFactory("tests.deputies.factories.DeputyFactory")
    completed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = MaterialCompletion
