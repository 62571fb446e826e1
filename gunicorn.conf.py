"""gunicorn's settings for every way the site is served (it reads ./gunicorn.conf.py):
deploy/tayho-web@.service, `make serve` and the benchmarks."""

import gc


def post_worker_init(worker):
    # Everything loaded so far (Django, Wagtail, the site's modules) lives as long as the
    # worker: moved out of the garbage collector's sight, it is never scanned again, and
    # each collection during a request looks only at what the request made.
    gc.freeze()
