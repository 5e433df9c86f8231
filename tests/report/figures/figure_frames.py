"""Small tidy tables the figure tests draw from (shared by the figure test files)."""

import pandas as pd


def periods_frame(periods, topics=(1, 2), regions=("全国",)):
    rows = []
    for region in regions:
        for i, period in enumerate(periods):
            for topic in topics:
                weight = 0.1 * topic + 0.01 * i
                rows.append({"region": region, "period": period, "topic": topic,
                             "topic_label": f"T{topic} 词",
                             "weight": weight, "ci_low": weight - 0.02, "ci_high": weight + 0.02,
                             "n_docs": 3, "sparse": False})
    return pd.DataFrame(rows)
