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


def test_notifications_page_lists_the_users_own_and_marks_them_read(client, office_user, unit_user):
    # given a notification for the office and one for the unit
    from congress.models import Notification
    from congress.services import notify

    notify(users=[office_user], title="甲", email=False)
    notify(users=[unit_user], title="乙", email=False)
    client.force_login(office_user)

    # when the office opens the page, then marks all read
    page = client.get("/notifications/")
    client.post("/notifications/")

    # then only their own is listed, and it is read now while the unit's is not
    assert [item.title for item in page.context["page"].object_list] == ["甲"]
    assert page.context["nav"]["unread"] == 1
    assert Notification.objects.get(user=office_user).read_at is not None
    assert Notification.objects.get(user=unit_user).read_at is None
