"""The deputies' admin: the mandates shown with a deputy, private numbers, the accounts action."""

import pytest
from django.urls import reverse

from deputies.models import Deputy


def change_url(deputy):
    return reverse("admin:deputies_deputy_change", args=[deputy.pk])


def mandate_formset(response):
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model.__name__ == "Mandate"
    )


def test_deputy_page_shows_only_the_mandates_in_scope(client, world, office_user):
    # given office staff of A and a person with a seat in A and a seat in B
    client.force_login(office_user)

    # when they open the person's page
    response = client.get(change_url(world.dual_deputy))

    # then only the seat in A is listed (and so can be changed or deleted there)
    assert response.status_code == 200
    seats = {form.instance.congress_id for form in mandate_formset(response).initial_forms}
    assert seats == {world.a.congress.pk}


def test_office_staff_see_the_mobile_number(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)
    deputy = world.a.deputies[0]

    # when they open a deputy's page
    response = client.get(change_url(deputy))

    # then the number is there to edit
    assert response.context["adminform"].form.initial["phone"] == deputy.phone


@pytest.mark.parametrize("role", ["committee_user", "leader_user"])
def test_read_only_staff_do_not_see_the_mobile_number(client, request, world, role):
    # given committee staff or a leader of A, who may browse deputies in the admin
    client.force_login(request.getfixturevalue(role))
    deputy = world.a.deputies[0]

    # when they open a deputy's page
    response = client.get(change_url(deputy))

    # then the page opens, but the number (private to the deputy and the office) is not on it
    assert response.status_code == 200
    assert deputy.phone not in response.content.decode()


def test_out_of_scope_deputy_page_answers_like_a_missing_one(client, world, office_user):
    # given office staff of A and a deputy of B
    client.force_login(office_user)
    other = world.b.deputies[0]

    # when they open B's deputy
    response = client.get(change_url(other), follow=True)

    # then they land on the admin index, and the deputy is not named
    assert response.redirect_chain[0] == (reverse("admin:index"), 302)
    assert other.name not in response.content.decode()


def test_create_accounts_action(client, world, office_user):
    # given office staff of A and two deputies of A without accounts
    client.force_login(office_user)
    deputies = world.a.deputies

    # when they run the action on both
    response = client.post(
        reverse("admin:deputies_deputy_changelist"),
        {"action": "create_accounts", "_selected_action": [deputy.pk for deputy in deputies]},
        follow=True,
    )

    # then both got an account named after their number, and the message counts them
    assert response.status_code == 200
    for deputy in Deputy.objects.filter(pk__in=[deputy.pk for deputy in deputies]):
        assert deputy.user.username == deputy.phone
    assert any("2" in str(message) for message in response.context["messages"])
