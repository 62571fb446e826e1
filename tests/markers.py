import pytest

# Tests that need real commits (live server, on_commit hooks, task workers). The
# database is flushed after each one, Wagtail's root page and default site with it;
# tests/conftest.py puts them back before each such test (see `wagtail_tree`).
transactional_db = pytest.mark.django_db(transaction=True)
