"""REST API of the help centre: `GET /api/v1/help/?q=` — the sections of the help documents the caller may
read that match the words of `q` (ejournal/help/search.py), best first; without `q` the list of documents."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import help as access
from ejournal.access import roles
from ejournal.core.requests import current_user
from ejournal.help.library import Document
from ejournal.help.search import query_of, search, visible


def _url(document: Document) -> str:
    return reverse(f"help:{document.kind}", args=[document.slug])


class HelpSearch(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Слова поиска (до 200 знаков); можно начало слова")],
        responses={200: OpenApiTypes.OBJECT},
        summary="Поиск по справке: разделы, где есть все слова запроса, сначала совпадения в заголовке",
    )
    def get(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.reads_help(user))
        q = query_of(request.query_params.get("q"))
        return Response(
            {
                "q": q,
                "results": [
                    {
                        "title": hit.section.title,
                        "document": hit.document.title,
                        "kind": hit.document.kind,
                        "url": f"{_url(hit.document)}#{hit.section.anchor}",
                        "snippet": hit.snippet,
                        "score": hit.score,
                    }
                    for hit in (search(user, q) if q else [])
                ],
                "documents": [{"title": d.title, "kind": d.kind, "url": _url(d)} for d in visible(user)],
            }
        )


urlpatterns = [path("help/", HelpSearch.as_view(), name="api-help")]
