"""The structure endpoints describe themselves in the OpenAPI schema without guesses by drf-spectacular."""

from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from ejournal.api.v1 import schools as api


def test_schema_of_the_structure_endpoints_has_no_warnings():
    GENERATOR_STATS.reset()
    # Only this module's routes: the schema of other apps' endpoints is their own tests' business.
    generator = SchemaGenerator(patterns=[path("api/v1/", include(api.urlpatterns))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))
    paths = schema["paths"]
    assert set(paths) == {
        "/api/v1/years/",
        "/api/v1/years/{id}/",
        "/api/v1/years/{id}/holidays/",
        "/api/v1/classes/",
        "/api/v1/classes/{id}/",
        "/api/v1/classes/{id}/enrolments/",
        "/api/v1/enrolments/{id}/transfer/",
        "/api/v1/subgroups/",
    }
    assert "requestBody" in paths["/api/v1/enrolments/{id}/transfer/"]["post"]
    assert {p["name"] for p in paths["/api/v1/classes/"]["get"]["parameters"]} >= {"year", "limit", "offset"}
