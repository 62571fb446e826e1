"""/healthz: is the database reachable, is the cache working?

The database is essential: without it the answer is 503. The cache (Redis in
production) is not: without it pages are slower but still served, so the answer stays
200 with status "degraded", which monitoring can alert on.
"""

import secrets
import time

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def check_database():
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_cache():
    started = time.perf_counter()
    cache = caches["default"]
    key = f"healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": error.__class__.__name__}
    result = {"ok": ok, "backend": cache.__class__.__name__, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if not ok:
        result["error"] = "round trip failed"
    return result


@never_cache
@require_GET
def healthz(request):
    database = check_database()
    cache_status = check_cache()
    if not database["ok"]:
        status, code = "down", 503
    elif not cache_status["ok"]:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "database": database, "cache": cache_status}, status=code)
