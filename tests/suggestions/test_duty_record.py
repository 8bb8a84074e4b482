"""Suggestions feed the duty record of their lead deputy and co-signers."""

import pytest

from deputies.models import ActivityRecord

pytestmark = pytest.mark.django_db


def test_submitting_a_suggestion_records_it_for_the_lead_and_the_cosigners(flow, cosigner_user):
    # given a draft with a confirmed co-signer
    suggestion = flow.draft(confirmed=(cosigner_user,))

    # when it is submitted
    flow.submit(suggestion)

    # then the lead and the co-signer each have one record of it
    lead = ActivityRecord.objects.get(deputy=flow.deputy_user.deputy)
    cosign = ActivityRecord.objects.get(deputy=cosigner_user.deputy)
    assert (lead.activity_type.code, cosign.activity_type.code) == ("suggestion_lead", "suggestion_cosign")
    assert lead.source_key == f"suggestion:{suggestion.pk}"
