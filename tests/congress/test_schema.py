"""The OpenAPI schema covers every endpoint and generates without errors or warnings."""

from __future__ import annotations

from django.core.management import call_command


def test_the_schema_page_answers(client, office_user):
    client.force_login(office_user)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/meetings/{id}/propose-attendees/" in paths
    assert "/api/v1/deputies/{id}/duty-record/" in paths
    assert "/api/v1/activities/{id}/sign-in/" in paths


def test_the_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns every warning of drf-spectacular (an unknown type, a missing serializer) into an
    # error, and --validate checks the document against the OpenAPI specification
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    assert "/api/v1/invitations/{id}/accept/" in target.read_text(encoding="utf-8")
