"""A professional group's suggestion becomes a formal suggestion: a draft for the acting author,
the other authors invited to co-sign, linked to the output, once per output."""

import pytest
from django.urls import reverse

from suggestions.choices import CosignerStatus, SuggestionStatus
from suggestions.exceptions import ForbiddenMove, NotAllowed
from suggestions.models import Suggestion
from suggestions.services import suggestion_from_group_output
from tests.deputies.factories_groups import GroupMembershipFactory, GroupOutputFactory, ProfessionalGroupFactory


@pytest.fixture
def group(world):
    return ProfessionalGroupFactory(counterpart_committee=world.a.committee, name="教育专业小组")


@pytest.fixture
def output(world, group, deputy_user, cosigner_user):
    """A group suggestion by the deputy user and a co-author, both members."""
    for user in (deputy_user, cosigner_user):
        GroupMembershipFactory(group=group, deputy=user.deputy)
    output = GroupOutputFactory(
        group=group, kind="suggestion", title="关于加强乡村教师队伍建设的建议", content="建议……"
    )
    output.authors.set([deputy_user.deputy, cosigner_user.deputy])
    return output


def url(output):
    return reverse("suggestions:portal_from_group_output", args=[output.pk])


def test_an_author_drafts_a_formal_suggestion_from_it(world, output, deputy_user, cosigner_user):
    # when an author turns the group suggestion into a formal suggestion
    suggestion, created = suggestion_from_group_output(output=output, actor=deputy_user)

    # then a draft led by them carries the output's title and text, in the committee's category,
    # linked to the output, with the other author invited to co-sign
    assert created
    suggestion = Suggestion.objects.get(pk=suggestion.pk)
    assert suggestion.status == SuggestionStatus.DRAFT
    assert suggestion.lead_deputy == deputy_user.deputy
    assert (suggestion.title, suggestion.body) == (output.title, output.content)
    assert suggestion.group_output == output
    assert suggestion.category == world.a.subject_category
    assert list(suggestion.cosigners.values_list("deputy_id", "status")) == [
        (cosigner_user.deputy.pk, CosignerStatus.INVITED)
    ]
    assert list(output.formal_suggestions.all()) == [suggestion]


def test_once_per_output(output, deputy_user, cosigner_user):
    # given a formal suggestion drafted from the output
    first, _ = suggestion_from_group_output(output=output, actor=deputy_user)

    # when the same or the other author tries again
    again, created_again = suggestion_from_group_output(output=output, actor=deputy_user)
    other, created_other = suggestion_from_group_output(output=output, actor=cosigner_user)

    # then the existing suggestion is returned and nothing new is written
    assert (again, created_again) == (first, False)
    assert (other, created_other) == (first, False)
    assert Suggestion.objects.count() == 1


def test_a_member_who_is_not_an_author_is_refused(group, output, second_deputy_user):
    GroupMembershipFactory(group=group, deputy=second_deputy_user.deputy)
    with pytest.raises(NotAllowed):
        suggestion_from_group_output(output=output, actor=second_deputy_user)
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("kind", ["report", "opinion"])
def test_only_group_suggestions_become_formal_suggestions(output, deputy_user, kind):
    output.kind = kind
    output.save()
    with pytest.raises(ForbiddenMove):
        suggestion_from_group_output(output=output, actor=deputy_user)
    assert not Suggestion.objects.exists()


# --- the portal page ---------------------------------------------------------------------------------


def test_page_and_button_draft_it_and_lead_to_the_edit_page(client, output, deputy_user):
    # given the author on the page
    client.force_login(deputy_user)
    assert client.get(url(output)).status_code == 200

    # when they press the button
    response = client.post(url(output))

    # then the draft exists and they are sent to edit it
    suggestion = Suggestion.objects.get(group_output=output)
    assert response.status_code == 302
    assert response.url == reverse("suggestions:portal_edit", args=[suggestion.pk])


def test_a_second_attempt_shows_the_existing_suggestion(client, output, deputy_user):
    client.force_login(deputy_user)
    client.post(url(output))
    response = client.post(url(output))
    suggestion = Suggestion.objects.get(group_output=output)
    assert response.url == reverse("suggestions:portal_detail", args=[suggestion.pk])
    assert Suggestion.objects.count() == 1


def test_a_wrong_kind_is_said_on_the_output_page(client, output, deputy_user):
    output.kind = "opinion"
    output.save()
    client.force_login(deputy_user)
    response = client.post(url(output))
    assert response.url == reverse("deputies:portal_group_output", args=[output.pk])
    assert not Suggestion.objects.exists()


def test_access(client, world, group, output, second_deputy_user, other_deputy_user, office_user):
    # anonymous → login
    assert client.post(url(output)).status_code == 302
    assert "/login" in client.post(url(output)).url
    # a member who is not an author → 403
    GroupMembershipFactory(group=group, deputy=second_deputy_user.deputy)
    client.force_login(second_deputy_user)
    assert client.post(url(output)).status_code == 403
    # a deputy of another congress → 404
    client.force_login(other_deputy_user)
    assert client.get(url(output)).status_code == 404
    assert client.post(url(output)).status_code == 404
    # staff are not deputies → 403
    client.force_login(office_user)
    assert client.get(url(output)).status_code == 403
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "role", ["cosigner_user", "second_deputy_user", "other_deputy_user", "office_user", "unit_user"]
)
def test_anyone_but_an_author_is_not_allowed_and_nothing_is_written(request, world, group, deputy_user, role):
    from tests.suggestions.conftest import db_state

    # given a group suggestion by the deputy user alone
    GroupMembershipFactory(group=group, deputy=deputy_user.deputy)
    output = GroupOutputFactory(group=group, kind="suggestion")
    output.authors.set([deputy_user.deputy])
    before = db_state()

    # when someone else tries to turn it into a formal suggestion, then they are refused and nothing is written
    with pytest.raises(NotAllowed):
        suggestion_from_group_output(output=output, actor=request.getfixturevalue(role))
    assert db_state() == before
