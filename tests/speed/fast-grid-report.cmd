report fast/网格.rubric fast/网格.csv
