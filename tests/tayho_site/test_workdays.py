import datetime

from hypothesis import given
from hypothesis import strategies as st

from tayho_site.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date
TET_2026 = {D(2026, 2, 16) + datetime.timedelta(days=n) for n in range(5)}  # Mon 16 – Fri 20 February


def test_weekends_do_not_count():
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday + 1 → Monday
    assert add_working_days(D(2026, 11, 23), 5) == D(2026, 11, 30)
    assert add_working_days(D(2026, 11, 21), 0) == D(2026, 11, 23)  # a Saturday: the next working day


def test_holidays_and_make_up_saturdays():
    assert add_working_days(D(2026, 2, 13), 1, TET_2026) == D(2026, 2, 23)  # across Tết
    make_up = {D(2026, 2, 28)}  # a Saturday worked in exchange
    assert add_working_days(D(2026, 2, 27), 1, TET_2026, make_up) == D(2026, 2, 28)
    assert not is_working_day(D(2026, 2, 18), TET_2026) and is_working_day(D(2026, 2, 28), set(), make_up)


def test_days_between_counts_like_the_deadline():
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0
    assert working_days_between(D(2026, 11, 25), D(2026, 11, 20)) == 0


@given(
    st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    st.integers(min_value=0, max_value=60),
    st.sets(st.dates(min_value=D(2020, 1, 1), max_value=D(2036, 6, 30)), max_size=20),
)
def test_the_deadline_is_exactly_n_working_days_later(start, count, days_off):
    due = add_working_days(start, count, days_off)
    assert is_working_day(due, days_off)
    if count:
        assert working_days_between(start, due, days_off) == count
        assert working_days_between(start, due - datetime.timedelta(days=1), days_off) == count - 1
