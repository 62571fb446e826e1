"""Running test work from several threads at once, each on its own database connection."""

from concurrent.futures import ThreadPoolExecutor

from django.db import connections


def in_threads(function, items, workers=8):
    """`function(item)` for each item, from `workers` threads; their results in order."""

    def run(item):
        try:
            return function(item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items))
