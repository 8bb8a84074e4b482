"""A deputy's login name is their mobile number (`deputy_create_account`). Wherever a person is named to
others — the admin's timeline, the "changed by" column of history pages, the API's `actor_name` — the
full name is shown and a login name that is a phone number is masked (docs/PRIVACY.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from congress.privacy import mask_phones_in_text, user_label
from suggestions.choices import EventAction
from suggestions.models import Suggestion, SuggestionEvent
from tests.deputies.factories import ActivityFactory, InvitationFactory
from tests.deputies.factories_groups import CampaignFactory, CampaignOpinionFactory
from tests.deputies.factories_meetings import MeetingFactory, MeetingOpinionFactory
from tests.privacy.conftest import DEPUTY_MASKED, DEPUTY_PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone_login(private, deputy_user) -> Any:
    """The deputy's account as `deputy_create_account` makes it: their mobile number is the login name."""
    get_user_model().objects.filter(pk=deputy_user.pk).update(username=DEPUTY_PHONE)
    deputy_user.refresh_from_db()
    return deputy_user


def _written_by(user: Any, obj: Any) -> Any:
    """Save the row as the user would through a page (the history middleware records them)."""
    obj._history_user = user
    obj.save()
    return obj


def _suggestion(world: Any, private: Any, user: Any) -> Any:
    suggestion = Suggestion.objects.create(
        congress=world.a.congress,
        session=world.a.session,
        title="关于加快老旧小区路灯改造的建议",
        body="……",
        category=world.a.subject_category,
        lead_deputy=private.deputy,
        status="submitted",
    )
    suggestion.title = "关于加快老旧小区路灯改造的建议（修改）"
    return _written_by(user, suggestion)


# what the deputy writes -> (admin name of the model, how a row is made)
WRITTEN_BY_DEPUTIES = {
    "suggestion": ("suggestions_suggestion", _suggestion),
    "invitation": (
        "deputies_invitation",
        lambda world, private, user: _written_by(
            user, InvitationFactory(activity=ActivityFactory(congress=world.a.congress), deputy=private.deputy)
        ),
    ),
    "campaign opinion": (
        "deputies_campaignopinion",
        lambda world, private, user: _written_by(
            user, CampaignOpinionFactory(campaign=CampaignFactory(congress=world.a.congress), deputy=private.deputy)
        ),
    ),
    "meeting opinion": (
        "deputies_meetingopinion",
        lambda world, private, user: _written_by(
            user, MeetingOpinionFactory(meeting=MeetingFactory(term=world.a.term), deputy=private.deputy)
        ),
    ),
}


@pytest.mark.parametrize("what", list(WRITTEN_BY_DEPUTIES))
@pytest.mark.parametrize("role", ["leader_user", "committee_user"])
def test_history_pages_name_the_deputy_not_their_phone(client, request, world, private, phone_login, what, role):
    # given a deputy (logged in with their mobile number) changed a row
    admin_name, make = WRITTEN_BY_DEPUTIES[what]
    row = make(world, private, phone_login)
    client.force_login(request.getfixturevalue(role))

    # when a reader opens the row's history in the admin
    response = client.get(reverse(f"admin:{admin_name}_history", args=[row.pk]))

    # then the change is listed under the deputy's name, never their number
    assert response.status_code == 200
    text = response.content.decode()
    assert DEPUTY_PHONE not in text, f"{what}: the login name (a phone number) is shown as 'changed by'"
    assert private.deputy.name in text


def test_the_admin_timeline_and_the_api_name_the_actor(client, world, private, phone_login, leader_user):
    # given a suggestion submitted by the deputy (whose login is their number and who has no name on the account)
    get_user_model().objects.filter(pk=phone_login.pk).update(first_name="", last_name="")
    phone_login.refresh_from_db()
    suggestion = _suggestion(world, private, phone_login)
    SuggestionEvent.objects.create(
        suggestion=suggestion,
        congress=world.a.congress,
        actor=phone_login,
        action=EventAction.SUBMIT,
        to_status="submitted",
    )
    client.force_login(leader_user)

    # when a leader opens it in the admin and through the API
    page = client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])).content.decode()
    data = client.get(f"/api/v1/suggestions/{suggestion.pk}/").json()

    # then the actor is shown without the number
    assert DEPUTY_PHONE not in page
    assert DEPUTY_MASKED in page
    assert [event["actor_name"] for event in data["timeline"]] == [DEPUTY_MASKED]


def test_user_label_prefers_the_name_and_masks_a_phone_login(phone_login):
    assert user_label(phone_login) == phone_login.get_full_name() != ""
    assert user_label(None) == ""
    nameless = get_user_model()(username=DEPUTY_PHONE)
    assert user_label(nameless) == DEPUTY_MASKED
    assert user_label(get_user_model()(username="office")) == "office"
    assert mask_phones_in_text(DEPUTY_PHONE) == DEPUTY_MASKED
