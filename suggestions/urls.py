from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    # deputy portal
    path("portal/suggestions/", views.portal_list, name="portal_list"),
    path("portal/suggestions/new/", views.portal_create, name="portal_create"),
    path("portal/suggestions/<int:pk>/", views.portal_detail, name="portal_detail"),
    path(
        "portal/suggestions/from-group-output/<int:output_pk>/",
        views.portal_from_group_output,
        name="portal_from_group_output",
    ),
    path("portal/suggestions/<int:pk>/edit/", views.portal_edit, name="portal_edit"),
    path("portal/suggestions/<int:pk>/guidance/", views.portal_guidance, name="portal_guidance"),
    path("portal/suggestions/<int:pk>/replies/<int:reply_pk>/rate/", views.portal_evaluate, name="portal_evaluate"),
    path(
        "portal/suggestions/<int:pk>/<str:action>/",
        views.portal_action,
        name="portal_action",
    ),
    # unit desk
    path("desk/assignments/", views.desk_list, name="desk_list"),
    path("desk/assignments/<int:pk>/", views.desk_detail, name="desk_detail"),
    path("desk/assignments/<int:pk>/<str:action>/", views.desk_action, name="desk_action"),
    # committee's counterpart view
    path("desk/committee/", views.committee_list, name="committee_list"),
    path("desk/committee/suggestions/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("desk/committee/suggestions/<int:pk>/supervise/", views.committee_supervise, name="committee_supervise"),
    path("desk/committee/suggestions/<int:pk>/propose/", views.committee_propose_units, name="committee_propose_units"),
    path("desk/committee/cases/<int:pk>/", views.committee_case, name="committee_case"),
    path("desk/committee/cases/<int:pk>/<str:action>/", views.committee_case_action, name="committee_case_action"),
    path("desk/committee/guidance/<int:pk>/answer/", views.committee_answer_guidance, name="committee_answer_guidance"),
    # public
    path("replies/", views.published_list, name="published_list"),
    path("replies/<int:pk>/", views.published_detail, name="published_detail"),
]
