"""The deputy portal /portal/: who may open it and what it shows."""

from django.urls import reverse

from tests.deputies.factories import MandateFactory


def test_anonymous_users_are_sent_to_log_in(client, db):
    # when the portal is opened anonymously
    response = client.get("/portal/")

    # then the answer is a redirect to the login page, coming back afterwards
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/portal/"


def test_staff_without_a_deputy_are_forbidden(client, unit_user):
    # given unit staff (not a deputy)
    client.force_login(unit_user)

    # when they open the portal
    response = client.get("/portal/")

    # then it is forbidden
    assert response.status_code == 403


def test_a_deputy_sees_their_own_record_and_mandates(client, world, deputy_user):
    # given a deputy of A who also holds a seat in B, among other deputies
    deputy = deputy_user.deputy
    MandateFactory(deputy=deputy, term=world.b.term)
    client.force_login(deputy_user)

    # when they open the portal
    response = client.get("/portal/")

    # then it shows them and exactly their seats
    assert response.status_code == 200
    assert response.context["deputy"] == deputy
    assert {mandate.pk for mandate in response.context["mandates"]} == set(deputy.mandates.values_list("pk", flat=True))
    assert {mandate.congress_id for mandate in response.context["mandates"]} == {
        world.a.congress.pk,
        world.b.congress.pk,
    }


def test_the_portal_shows_the_deputys_own_number(client, world, deputy_user):
    # given a deputy
    client.force_login(deputy_user)

    # when they open the portal
    response = client.get("/portal/")

    # then their own mobile number is on it
    assert deputy_user.deputy.phone in response.content.decode()
