"""One module per chart family: rows from a ``chart_…`` view in, an Altair chart out.

Charts never compute figures: every value, label and takeaway comes from the warehouse views.
Each module can be run alone (``python -m analysis.charts.funding``) to rebuild that chart.
"""

CHART_NAMES = ("funding", "leadership", "women", "representation", "membership")
