"""The help centre (/help/): every help document the person may read, the search, and one document per page.
A document outside the person's audience is a 404 like any page outside one's role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ejournal.access import help as access
from ejournal.access import roles
from ejournal.core.requests import current_user

from .library import DOC, TOPIC, Document, find
from .search import query_of, search, visible


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.reads_help(user))
    q = query_of(request.GET.get("q"))
    documents = visible(user)
    context = {
        "q": q,
        "hits": search(user, q) if q else [],
        "topics": [d for d in documents if d.kind == TOPIC],
        "docs": [d for d in documents if d.kind == DOC],
    }
    return render(request, "help/index.html", context)


def _document(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    user = current_user(request)
    document: Document | None = find(kind, slug)
    roles.require(document is not None and access.reads_audience(user, document.audience))
    return render(request, "help/document.html", {"document": document})


@login_required
@require_GET
def topic(request: HttpRequest, topic: str) -> HttpResponse:
    return _document(request, TOPIC, topic)


@login_required
@require_GET
def doc(request: HttpRequest, doc: str) -> HttpResponse:
    return _document(request, DOC, doc)
