from tayho_site.charts import bars

KEYS = ["on_time", "late", "overdue"]
LABELS = {"on_time": "Đúng hạn", "late": "Muộn", "overdue": "Quá hạn"}


def test_bars_are_named_counted_and_scaled_to_the_longest():
    rows = [
        {"unit": "Phòng A", "on_time": 3, "late": 1, "overdue": 0},
        {"unit": "Phòng B", "on_time": 0, "late": 0, "overdue": 2},
    ]
    drawn = bars(rows, KEYS, LABELS, name="unit")
    assert [bar["name"] for bar in drawn] == ["Phòng A", "Phòng B"]
    assert [bar["total"] for bar in drawn] == [4, 2]
    first, second = drawn
    # Only segments with a count are drawn, each with its label and number, side by side.
    assert [(s["label"], s["count"]) for s in first["segments"]] == [("Đúng hạn", 3), ("Muộn", 1)]
    assert first["segments"][0]["x"] == 0 and first["segments"][1]["x"] == 75
    assert sum(s["width"] for s in first["segments"]) == 100
    assert second["segments"] == [{"key": "overdue", "count": 2, "label": "Quá hạn", "x": 0, "width": 50}]


def test_no_rows_or_all_zero_draws_nothing_wide():
    assert bars([], KEYS, LABELS) == []
    drawn = bars([{"label": "Phòng C", "on_time": 0, "late": 0, "overdue": 0}], KEYS, LABELS)
    assert drawn == [{"name": "Phòng C", "total": 0, "segments": []}]
