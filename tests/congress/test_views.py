"""The landing page, which sends each role where it works."""

from django.urls import reverse

from congress.roles import Role
from congress.services import user_assign_role


def test_anonymous_users_are_sent_to_log_in(client, db):
    # when the home page is opened anonymously
    response = client.get("/")

    # then they are sent to the login page
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_deputy_is_sent_to_the_portal(client, deputy_user):
    # given a user who is only a deputy
    client.force_login(deputy_user)

    # when they open the home page
    response = client.get("/")

    # then they are sent to the portal
    assert response.status_code == 302
    assert response.url == reverse("deputies:portal_home")


def test_office_staff_get_the_home_page(client, office_user):
    # given office staff
    client.force_login(office_user)

    # when they open the home page
    response = client.get("/")

    # then it is shown, with the way to the admin
    assert response.status_code == 200
    assert response.context["nav"]["admin"] is True
    assert response.context["nav"]["portal"] is False


def test_a_deputy_who_is_also_staff_gets_the_home_page(client, world, deputy_user):
    # given a deputy who also works in the office
    user_assign_role(user=deputy_user, role=Role.OFFICE, congress=world.a.congress)
    client.force_login(deputy_user)

    # when they open the home page
    response = client.get("/")

    # then they get the page of links (admin and portal), not a redirect
    assert response.status_code == 200
    assert response.context["nav"]["admin"] is True
    assert response.context["nav"]["portal"] is True
