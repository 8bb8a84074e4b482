"""The issue's story end to end: committee staff run a training from the plan to certificates, and
the deputy sees the invitation in the portal, signs in there, and finds the course in the duty record
with its points and the certificate."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from deputies.choices import InvitationStatus, TrainingKind
from deputies.models import Invitation
from deputies.services.activities import activity_hold
from deputies.services.training import (
    course_invite,
    course_issue_certificates,
    course_open,
    planned_course_add,
    training_plan_approve,
    training_plan_create,
)


def test_from_plan_to_certificate_and_duty_record(client, world, office_user, committee_user, deputy_user):
    # given an approved plan with a course of the committee, opened now and the deputy invited
    today = timezone.localdate()
    plan = training_plan_create(actor=office_user, congress=world.a.congress, year=today.year, title="年度代表培训计划")
    planned = planned_course_add(
        plan=plan,
        actor=committee_user,
        title="乡村振兴专题培训班",
        kind=TrainingKind.THEMATIC_AWAY,
        organiser=world.a.committee,
    )
    training_plan_approve(plan=plan, actor=office_user)
    now = timezone.now()
    course = course_open(
        actor=committee_user,
        planned_course=planned,
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=6),
        hours=6,
    )
    course_invite(course=course, actor=committee_user, deputy_ids=[deputy_user.deputy.pk])
    client.force_login(deputy_user)

    # when the deputy opens their invitations, accepts and signs in with the code shown at the venue
    invitations = client.get(reverse("deputies:portal_invitations"))
    client.post(reverse("deputies:portal_respond", args=[course.pk]), {"answer": "accept"})
    client.post(reverse("deputies:portal_sign_in_code", args=[course.pk]), {"code": course.sign_in_code})
    # and committee staff close the course and issue the certificates
    activity_hold(activity=course, actor=committee_user)
    course_issue_certificates(course=course, actor=committee_user)

    # then the invitation was listed, the deputy attended and holds a certificate
    assert [i.activity_id for i in invitations.context["upcoming"]] == [course.pk]
    invitation = Invitation.objects.get(activity=course, deputy=deputy_user.deputy)
    assert invitation.status == InvitationStatus.ATTENDED
    assert invitation.certificate_number
    certificate = client.get(reverse("deputies:portal_training_certificate", args=[invitation.pk]))
    assert certificate.status_code == 200
    assert invitation.certificate_number in certificate.content.decode()
    # and the duty record shows the training with its points, on top of the base
    record = client.get(reverse("deputies:portal_record") + f"?year={today.year}")
    by_type = {row["code"]: row for row in record.context["by_type"]}
    assert by_type["training"]["count"] == 1
    assert record.context["total"] == record.context["base"] + by_type["training"]["points"]
    assert by_type["training"]["points"] > 0
