from django.http import HttpRequest, HttpResponse, JsonResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ЭЖ")


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})
