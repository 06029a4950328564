"""The SVG line charts' geometry: titled axes make room, labels thin out, gaps break lines."""

from app.web.charts import line_chart


def test_titled_axes_leave_room_for_their_titles_and_name_the_legend():
    plain = line_chart([("a", 0.2), ("b", 0.4)])
    titled = line_chart(
        [("a", 0.2), ("b", 0.4)],
        threshold=0.8,
        y_title="Chance (%)",
        x_title="Week ending",
        series_name="You",
        threshold_name="Ready",
    )
    assert titled.left > plain.left and titled.bottom < plain.bottom
    assert (titled.y_title, titled.x_title) == ("Chance (%)", "Week ending")
    assert (titled.series_name, titled.threshold_name) == ("You", "Ready")
    assert titled.top < titled.threshold < titled.bottom
    assert titled.middle == ((titled.left + titled.right) / 2, (titled.top + titled.bottom) / 2)
    assert [text for _y, text in titled.grid] == ["0%", "25%", "50%", "75%", "100%"]


def test_labels_thin_out_keeping_the_last_and_every_point_stays():
    series = [(f"w{i}", 0.1 * i) for i in range(8)]
    chart = line_chart(series, most_labels=4)
    assert [text for _x, text in chart.labels] == ["w1", "w3", "w5", "w7"]
    assert len(chart.points) == 8 and len(chart.paths) == 1


def test_a_gap_breaks_the_line_and_a_lone_point_stands_in_the_middle():
    chart = line_chart([("a", 0.5), ("b", 0.6), ("c", None), ("d", 0.7), ("e", 0.9)])
    assert len(chart.paths) == 2 and len(chart.points) == 4
    lone = line_chart([("only", 0.3)])
    ((x, _y, label, value),) = lone.points
    assert x == round((lone.left + lone.right) / 2, 1) and (label, value) == ("only", 0.3)
