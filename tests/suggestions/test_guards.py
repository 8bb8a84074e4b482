"""Guards added after review: guidance only while drafting, extensions only while handling."""

import datetime

import pytest

from suggestions import services
from suggestions.exceptions import ForbiddenMove
from suggestions.models import ExtensionRequest, GuidanceRequest

pytestmark = pytest.mark.django_db


def test_guidance_cannot_be_asked_for_after_submission(flow, world):
    # given a submitted suggestion
    suggestion = flow.submitted()

    # when the deputy asks a committee for guidance, then it is refused and nothing is written
    with pytest.raises(ForbiddenMove):
        services.guidance_request_create(
            suggestion=suggestion, actor=flow.deputy_user, committee=world.a.committee, question="？"
        )
    assert not GuidanceRequest.objects.exists()


def test_an_extension_cannot_be_granted_once_the_unit_replied(flow, office_user):
    # given an extension requested, then the unit replied before the office decided
    suggestion = flow.assigned(co=False)
    assignment = flow.assignment(suggestion)
    request = services.extension_request_create(
        assignment=assignment,
        actor=flow.unit_user,
        reason="需要调研",
        requested_due_on=assignment.due_on + datetime.timedelta(days=30),
    )
    flow.reply(assignment)
    due_before = type(assignment).objects.get(pk=assignment.pk).due_on

    # when the office approves it, then it is refused and the due date stays
    with pytest.raises(ForbiddenMove):
        services.extension_decide(request=request, actor=office_user, approve=True, note_to_deputy="同意延期")
    assert type(assignment).objects.get(pk=assignment.pk).due_on == due_before
    assert ExtensionRequest.objects.get(pk=request.pk).status == "pending"
