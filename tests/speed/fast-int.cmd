eval -f csv fast/整数.rubric fast/整数.csv
