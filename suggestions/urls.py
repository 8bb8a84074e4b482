from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("portal/suggestions/", views.portal_list, name="portal_list"),
    path("portal/suggestions/<int:pk>/", views.portal_detail, name="portal_detail"),
]
