eval -f csv fast/大数.rubric fast/大数.csv
